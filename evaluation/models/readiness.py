"""Readiness self-assessment: a versioned questionnaire over the five prerequisites,
and each section's answers with their scores and verdict.

Admins edit questionnaires in the admin. A questionnaire that has been answered is
frozen (its questions, options and thresholds no longer change), so every assessment
keeps the version it was answered against; to change it, admins copy it to a new
version and publish that.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sections.models import ReadinessVerdict, Section
from twinning.translations import Translatable


class Questionnaire(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("The version officers answer now. Only one is current.")
    )
    ready_threshold = models.PositiveSmallIntegerField(
        _("ready from (score)"), default=75, validators=[MaxValueValidator(100)]
    )
    nearly_threshold = models.PositiveSmallIntegerField(
        _("nearly ready from (score)"), default=50, validators=[MaxValueValidator(100)]
    )
    weak_threshold = models.PositiveSmallIntegerField(
        _("a dimension is weak below (score)"), default=60, validators=[MaxValueValidator(100)],
        help_text=_("Weak dimensions show their guidance."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("readiness questionnaire")
        verbose_name_plural = _("readiness questionnaires")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="questionnaire_one_current"
            ),
            models.CheckConstraint(
                condition=Q(ready_threshold__gte=models.F("nearly_threshold")),
                name="questionnaire_thresholds_ordered",
                violation_error_message=_("'Ready' must need at least the score of 'nearly ready'."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.assessments.exists()

    def verdict_for(self, score: Decimal) -> str:
        if score >= self.ready_threshold:
            return ReadinessVerdict.READY
        if score >= self.nearly_threshold:
            return ReadinessVerdict.NEARLY
        return ReadinessVerdict.NOT_YET


class Dimension(Translatable):
    """One of the prerequisites: vision/purpose, commitment, time, capacity, funding."""

    class Code(models.TextChoices):
        VISION = "vision", _("Vision and purpose")
        COMMITMENT = "commitment", _("Commitment")
        TIME = "time", _("Time")
        CAPACITY = "capacity", _("Capacity")
        FUNDING = "funding", _("Funding")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="dimensions",
        verbose_name=_("questionnaire"),
    )
    code = models.CharField(_("prerequisite"), max_length=20, choices=Code.choices)
    name = models.CharField(_("name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    guidance = models.TextField(_("guidance when weak"), help_text=_("What a section can do to get stronger here."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TRANSLATED_FIELDS = ("name", "guidance")

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="dimension_once_per_questionnaire"),
        ]


class Question(Translatable):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="questions",
        verbose_name=_("dimension"),
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TRANSLATED_FIELDS = ("text", "help_text")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["dimension", "position", "pk"]


class AnswerOption(Translatable):
    """One step of a question's answer scale; `value` runs from 0 (worst) to 100 (best)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question"))
    label = models.CharField(_("answer"), max_length=150)
    value = models.PositiveSmallIntegerField(_("value (0–100)"), validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TRANSLATED_FIELDS = ("label",)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(value__lte=100), name="answer_value_at_most_100")]


class Assessment(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="assessments",
        verbose_name=_("section"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="assessments",
        verbose_name=_("questionnaire"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    verdict = models.CharField(_("verdict"), max_length=10, choices=ReadinessVerdict.choices)

    class Meta:
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.section}: {self.get_verdict_display()} ({self.score})"


class DimensionScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="dimension_scores",
        verbose_name=_("assessment"),
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+", verbose_name=_("dimension"))
    score = models.DecimalField(max_digits=5, decimal_places=1, verbose_name=_("score"))
    weak = models.BooleanField(default=False, verbose_name=_("weak"))

    class Meta:
        ordering = ["dimension__position", "dimension__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="dimension_score_once"),
        ]


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers",
        verbose_name=_("assessment"),
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question"))
    option = models.ForeignKey(AnswerOption, on_delete=models.PROTECT, related_name="+", verbose_name=_("option"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="answer_once")]
