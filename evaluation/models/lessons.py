"""The lessons library: what sections learned from their twinning, written for the next
section, searchable across the society.

A lesson keeps its tags as they were when it was written: the forms and challenge
categories it is about, and the regions and maturity of the partnership's sections
(`region_tags` and `maturity_tags` hold them as "|a|b|", so one `contains` lookup
filters them on PostgreSQL and SQLite alike).

Search (evaluation.selectors.lessons_search): on PostgreSQL a weighted `search_vector`
built from the unaccented text, behind a GIN index; on SQLite a plain match on
`search_text`, the unaccented lower-case text. Both are written by the lesson services,
never by a page view.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from sections.models import Section, TwinningForm
from twinning.translations import Translatable


class ChallengeCategory(Translatable):
    """The challenges twinning meets, from the society's presentation, and three more that
    evaluations keep naming. Reference data, loaded by a migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("challenge category")
        verbose_name_plural = _("challenge categories")
        ordering = ["position", "name"]


class Lesson(models.Model):
    class Visibility(models.TextChoices):
        SOCIETY = "society", _("Everyone signed in, across the society")
        PARTNERS = "partners", _("Only the partner sections and their districts")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lessons",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("written by section"),
        help_text=_("Its officers may edit the lesson."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    # Set when the lesson was written in an evaluation's flow.
    evaluation = models.ForeignKey(
        "evaluation.Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons",
        verbose_name=_("evaluation"),
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), help_text=_("The situation: who, where, what you set out to do."))
    what_happened = models.TextField(_("what happened"))
    learned = models.TextField(_("what we learned"))
    recommendation = models.TextField(_("our recommendation"), help_text=_("What you would tell the next section."))

    forms = models.ManyToManyField(TwinningForm, blank=True, related_name="+", verbose_name=_("forms of twinning"))
    challenges = models.ManyToManyField(
        ChallengeCategory, blank=True, related_name="lessons", verbose_name=_("challenge categories")
    )
    region_tags = models.CharField(max_length=300, blank=True, default="", editable=False)
    maturity_tags = models.CharField(max_length=100, blank=True, default="", editable=False)

    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.SOCIETY
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    helpful_count = models.PositiveIntegerField(_("marked helpful"), default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False), name="lesson_published_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at"], condition=Q(state="published"), name="lesson_published_idx"),
            models.Index(
                fields=["-helpful_count", "-published_at"], condition=Q(state="published"),
                name="lesson_helpful_idx",
            ),
        ]
        # The GIN index on search_vector is made by a PostgreSQL-only migration.

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", kwargs={"pk": self.pk})

    @property
    def regions(self) -> list[str]:
        return [tag for tag in self.region_tags.split("|") if tag]

    @property
    def maturities(self) -> list[str]:
        return [tag for tag in self.maturity_tags.split("|") if tag]


class LessonHelpful(models.Model):
    """"This helped us": one mark per user and lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="helpful_marks", verbose_name=_("lesson"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "user"], name="lesson_helpful_once_per_user")]
