"""The end of a partnership's life: the optional mid-term review, the final evaluation
(a shorter one when a partnership ends early), co-signed by every participating section,
and the public story a completed partnership may become.

An evaluation is drafted by either side and confirmed by each side's lead; any edit after
a confirmation clears every confirmation (evaluation.services.closing), so what each side
signed is what the evaluation says. It is final when every side has confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Indicator, Objective, Partnership
from sections.models import Section

from .lessons import ChallengeCategory


class Benefit(models.TextChoices):
    """The seven benefits twinning brings, in the society's presentation."""

    RELATIONSHIP = "relationship", _("Relationship building")
    NETWORKING = "networking", _("Networking")
    KNOWLEDGE = "knowledge", _("Transfer of knowledge")
    BEST_PRACTICES = "best-practices", _("Identification of best practices")
    SOLIDARITY = "solidarity", _("Solidarity")
    HORIZONS = "horizons", _("Broadening of horizons")
    SOCIETY = "society", _("Strengthening the society")


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        MIDTERM = "midterm", _("Mid-term review")
        FINAL = "final", _("Final evaluation")
        EARLY_END = "early-end", _("Evaluation on ending early")

    class Continuation(models.TextChoices):
        UNDECIDED = "", _("Not decided yet")
        YES = "yes", _("Yes, the relationship continues")
        MAYBE = "maybe", _("Perhaps, in a lighter form")
        NO = "no", _("No, it ends here")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="evaluations",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.TextField(
        _("what was achieved"), blank=True,
        help_text=_("In a few sentences, for someone who does not know the partnership."),
    )
    continuation = models.CharField(
        _("will the relationship continue?"), max_length=10, choices=Continuation.choices, blank=True, default=""
    )
    continuation_how = models.TextField(_("how it continues"), blank=True)
    challenges = models.ManyToManyField(
        ChallengeCategory, blank=True, related_name="evaluations", verbose_name=_("challenges met")
    )
    challenges_note = models.TextField(_("the challenges, and how they were met"), blank=True)
    # The public story a completed partnership may become, when every side agrees
    # (EvaluationSide.story_consent). Written with the final evaluation; see Story.
    story_title = models.CharField(_("story title"), max_length=200, blank=True)
    story_photo = models.FileField(
        _("story photo"), upload_to="stories/drafts/%Y/", blank=True,
        help_text=_("One photo for the public story: PNG or JPEG, at most 10 MB."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the last side confirms; cleared with the confirmations by an edit.
    final_at = models.DateTimeField(_("final since"), null=True, blank=True)

    coordinator_comment = models.TextField(_("district coordinator's comment"), blank=True)
    coordinator_comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("coordinator comment by"),
    )
    coordinator_comment_at = models.DateTimeField(null=True, blank=True, verbose_name=_("coordinator comment at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["partnership", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="evaluation_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.partnership}"

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    @property
    def closing(self) -> bool:
        return self.kind != self.Kind.MIDTERM


class EvaluationSide(models.Model):
    """One participating section's part of an evaluation, and its confirmation."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="sides",
        verbose_name=_("evaluation"),
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", verbose_name=_("section"))
    gave = models.TextField(_("what we gave"), blank=True)
    gained = models.TextField(_("what we gained"), blank=True)
    do_differently = models.TextField(_("what we would do differently"), blank=True)
    story_consent = models.BooleanField(
        _("we agree to publish this partnership as a public story"), default=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation side")
        verbose_name_plural = _("evaluation sides")
        ordering = ["section__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "section"], name="evaluation_side_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section} — {self.evaluation}"


class BenefitRating(models.Model):
    """How far one side realised one of the seven benefits: 0 (not at all) to 5."""

    side = models.ForeignKey(EvaluationSide, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("side"))
    benefit = models.CharField(_("benefit"), max_length=20, choices=Benefit.choices)
    rating = models.PositiveSmallIntegerField(
        _("realised (0–5)"), validators=[MaxValueValidator(5)],
        help_text=_("0: not at all, 5: fully."),
    )
    explanation = models.TextField(_("how"), blank=True)

    class Meta:
        ordering = ["side", "benefit"]
        constraints = [
            models.UniqueConstraint(fields=["side", "benefit"], name="benefit_rated_once_per_side"),
            models.CheckConstraint(condition=Q(rating__lte=5), name="benefit_rating_0_5"),
        ]


class ObjectiveResult(models.Model):
    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT = "not", _("Not achieved")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="objective_results",
        verbose_name=_("evaluation"),
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+", verbose_name=_("objective"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["objective"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "objective"], name="objective_result_once"),
        ]


class IndicatorResult(models.Model):
    """An indicator's final value against its target, pre-filled from the check-ins."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="indicator_results",
        verbose_name=_("evaluation"),
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator"))
    value = models.DecimalField(_("final value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="indicator_result_once"),
        ]


class Story(models.Model):
    """A completed partnership told to the public. It is published when the partnership
    completes with a final evaluation every side agreed to publish, and can be withdrawn
    by a society admin."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="story",
        verbose_name=_("partnership"),
    )
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="story",
        verbose_name=_("evaluation"),
    )
    title = models.CharField(_("title"), max_length=200)
    achieved = models.TextField(_("what was achieved"))
    # The evaluation's photo file, shared: publishing copies no bytes.
    photo = models.FileField(_("photo"), upload_to="stories/%Y/", blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title
