"""Recognition at three levels: points for sections from verified records (rules and an
immutable ledger), people acknowledged by their sections, sections recognised by their
districts, and the yearly section performance award nominations.

Points are never typed: a ledger entry points at the record that earned it (an activated
partnership, an on-time check-in, a co-signed evaluation, a published lesson or story),
under the rule that was in effect on the day of the event. The unique constraint on
(rule, source, section, kind) makes a second entry for the same event impossible, however
often the event is replayed or the nightly reconciliation runs. An event undone gets a
reversing entry; an admin's correction is an entry of its own, with its reason.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from sections.models import District, Section, TwinningForm


# The award years the programme knows: pages, forms and the admin accept no other.
EARLIEST_AWARD_YEAR, LATEST_AWARD_YEAR = 2000, 2100


def award_year_from(value) -> int | None:
    """The award year `value` (a query-string or form value) names, or None when it names
    none in the range. Digits of other scripts that int() reads are fine; "²" is not."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if EARLIEST_AWARD_YEAR <= year <= LATEST_AWARD_YEAR else None


def award_year_of(day: datetime.date) -> int:
    """The award year an event on `day` counts for: the calendar year."""
    return day.year


class PointRule(models.Model):
    """How many points one kind of verified event earns, from `effective_from` on. A change
    is a new version of the rule from a later date; the old version keeps the events before it."""

    class Event(models.TextChoices):
        ACTIVATED = "activated", _("Agreement activated")
        CHECKIN_ON_TIME = "checkin-on-time", _("Check-in submitted on time")
        MIDTERM_DONE = "midterm-done", _("Mid-term review done")
        FINAL_CONFIRMED = "final-confirmed", _("Final evaluation confirmed by every side")
        COMPLETED = "completed", _("Partnership completed")
        LESSON_PUBLISHED = "lesson-published", _("Lesson published")
        STORY_PUBLISHED = "story-published", _("Story published")
        FORM_BONUS = "form-bonus", _("Bonus for a form of twinning, on completion")

    class Earner(models.TextChoices):
        EVERY_SIDE = "every-side", _("Every participating section")
        OWNER = "owner", _("The section whose record it is")

    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    form = models.ForeignKey(
        TwinningForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("form of twinning"), help_text=_("For a form bonus: the form that earns it."),
    )
    points = models.PositiveIntegerField(_("points"), validators=[MaxValueValidator(10_000)])
    # For completion: more for longer and denser plans.
    points_per_month = models.PositiveIntegerField(
        _("extra points per month of the partnership"), default=0, validators=[MaxValueValidator(1000)]
    )
    points_per_activity = models.PositiveIntegerField(
        _("extra points per activity done"), default=0, validators=[MaxValueValidator(1000)]
    )
    earner = models.CharField(_("who earns"), max_length=12, choices=Earner.choices, default=Earner.EVERY_SIDE)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Empty: until a later version replaces it.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["event", "form", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
                name="point_rule_until_after_from",
                violation_error_message=_("A rule cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(event="form-bonus", form__isnull=False) | (~Q(event="form-bonus") & Q(form__isnull=True)),
                name="point_rule_form_only_for_bonus",
                violation_error_message=_("Name the form for a form bonus, and only for it."),
            ),
        ]

    def __str__(self) -> str:
        label = self.get_event_display()
        if self.form_id:
            label = f"{label}: {self.form}"
        return f"{label} ({self.points}, from {self.effective_from:%d %b %Y})"

    def clean(self) -> None:
        # Two versions of one rule in effect on the same day would both count the same event.
        overlapping = PointRule.objects.filter(event=self.event, form=self.form).exclude(pk=self.pk)
        if self.effective_until:
            overlapping = overlapping.filter(effective_from__lte=self.effective_until)
        overlapping = overlapping.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=self.effective_from))
        if self.event and overlapping.exists():
            raise ValidationError(
                _("Another version of this rule is in effect on some of these days; end it first (effective until).")
            )


class LedgerQuerySet(models.QuerySet):
    """The ledger's rows in bulk: added, read, never updated or deleted, as one entry is not."""

    def update(self, **kwargs):
        raise ValueError("Ledger entries are never changed; write a reversing or adjusting entry.")

    def delete(self):
        raise ValueError("Ledger entries are never deleted; write a reversing entry.")


class LedgerEntry(models.Model):
    """One line of a section's points. Written once, never changed or deleted."""

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        REVERSAL = "reversal", _("Reversed")
        ADJUSTMENT = "adjustment", _("Adjusted by an admin")

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="ledger_entries",
        verbose_name=_("section"),
    )
    points = models.IntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EARNED)
    rule = models.ForeignKey(
        PointRule, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
        verbose_name=_("rule"),
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("source type"),
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("source ID"))
    # The partnership the source belongs to, for pages that list a partnership's points.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries",
        verbose_name=_("partnership"),
    )
    award_year = models.PositiveSmallIntegerField(_("award year"), db_index=True)
    occurred_on = models.DateField(_("event date"))
    reason = models.TextField(_("why"))
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("For an adjustment: the admin who made it."),
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "source_type", "source_id", "section", "kind"],
                condition=Q(kind__in=["earned", "reversal"]),
                name="ledger_event_counts_once",
            ),
            models.CheckConstraint(
                condition=Q(kind="adjustment") | (Q(rule__isnull=False) & Q(source_id__isnull=False)),
                name="ledger_points_come_from_a_record",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | (Q(created_by__isnull=False) & ~Q(reason="")),
                name="ledger_adjustment_has_author_and_reason",
            ),
        ]
        indexes = [
            # The leaderboard: a year's points by section, read from the index alone (the
            # points are included), so ranking a year and counting its sections never visit
            # the table (bench_leaderboard).
            models.Index(fields=["award_year", "section"], include=["points"], name="ledger_year_section_pts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.points:+d} ({self.award_year})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Ledger entries are never changed; write a reversing or adjusting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are never deleted; write a reversing entry.")


class ReconciliationRun(models.Model):
    """What one nightly reconciliation filled in or reversed."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    filled = models.PositiveIntegerField(default=0, verbose_name=_("filled"))
    reversed = models.PositiveIntegerField(default=0, verbose_name=_("reversed"))
    details = models.JSONField(default=list, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("reconciliation run")
        verbose_name_plural = _("reconciliation runs")
        ordering = ["-started_at"]


class Acknowledgement(models.Model):
    """A person a section thanks for their work on a partnership, with a certificate."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="acknowledgements",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("acknowledging section")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True, help_text=_("If given, the certificate is mailed to them."))
    role = models.CharField(_("role in the partnership"), max_length=200)
    contribution = models.TextField(_("what they did"))
    hours = models.DecimalField(
        _("hours, if known"), max_digits=7, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("signed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="acknowledgement_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.partnership}"


class DistrictRecognition(models.Model):
    """A district's recognition of one of its sections for a year."""

    class Category(models.TextChoices):
        MOST_ACTIVE = "most-active", _("Most active in twinning")
        BEST_NEW = "best-new", _("Best new twinning")
        MENTOR = "mentor", _("Mentor section")
        STUDENT = "student", _("Outstanding student section")
        OTHER = "other", _("Special recognition")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="recognitions",
        verbose_name=_("district"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="district_recognitions",
        verbose_name=_("section"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(EARLIEST_AWARD_YEAR), MaxValueValidator(LATEST_AWARD_YEAR)]
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    citation = models.TextField(_("citation"))
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recognised by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("district recognition")
        verbose_name_plural = _("district recognitions")
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "section", "year", "category"], name="district_recognition_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.get_category_display()} {self.year}"


class Nomination(models.Model):
    """A section's nomination for the year's section performance award: drafted and submitted
    by its officers, reviewed by its district's coordinator, decided by society admins."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the district")
        RETURNED = "returned", _("Returned to the section")
        FORWARDED = "forwarded", _("Forwarded to the society")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not-awarded", _("Not awarded")

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="nominations",
        verbose_name=_("section"),
    )
    award_year = models.PositiveSmallIntegerField(_("award year"))
    narrative = models.TextField(_("why this section"), blank=True)
    # The twinning points statement, copied from the ledger when the nomination is submitted.
    statement = models.JSONField(_("points statement"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("award nomination")
        verbose_name_plural = _("award nominations")
        ordering = ["-award_year", "section__name"]
        constraints = [
            models.UniqueConstraint(fields=["section", "award_year"], name="nomination_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.section} — {self.award_year}"


class NominationStep(models.Model):
    """One step of a nomination: who moved it, from what to what, when and with what comment."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="steps",
        verbose_name=_("nomination"),
    )
    from_state = models.CharField(
        max_length=12, choices=Nomination.State.choices, blank=True,
        verbose_name=_("from state"),
    )
    to_state = models.CharField(max_length=12, choices=Nomination.State.choices, verbose_name=_("to state"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("actor"),
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
