"""The work plan: goals → objectives → activities, indicators of success, and funding.

Every change is kept (django-simple-history) so the partnership's history shows
how the plan moved; services set `_history_user` so each row names who changed it.
Each item also points at its partnership directly: pages fetch any item scoped to
the partnership in one query, and its history survives the deletion of a parent.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sections.models import Section, TwinningForm

from .partnership import Partnership

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use the three-letter currency code, such as USD, EUR or KES.")
)


def _currency_field():
    return models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_validator])


def _money_field(verbose_name):
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )


class Goal(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="goals",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="objectives", editable=False
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in-progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities", editable=False
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="activities",
        verbose_name=_("objective"),
    )
    title = models.CharField(_("title"), max_length=200)
    form = models.ForeignKey(
        TwinningForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("form of twinning")
    )
    owning_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("carried out by")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responsible person"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget = _money_field(_("budget"))
    currency = _currency_field()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    percent_complete = models.PositiveSmallIntegerField(
        _("% complete"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("How far the activity has got, as its owners last reported it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="activity_budget_not_negative"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="activity_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """An indicator of success for an objective: where it starts, where it should get, by when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators", editable=False
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators",
        verbose_name=_("objective"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, help_text=_("What is counted: members, events, %…"))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("target date"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class FundingLine(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Pending")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="funding_lines",
        verbose_name=_("partnership"),
    )
    source = models.CharField(_("source"), max_length=200)
    amount = _money_field(_("amount"))
    currency = _currency_field()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    expected_by = models.DateField(
        _("expected by"), null=True, blank=True,
        help_text=_("For pending funding: when the decision is expected."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status="confirmed") | Q(expected_by__isnull=False),
                name="funding_pending_has_date",
                violation_error_message=_("Pending funding needs the date a decision is expected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.amount} {self.currency}"
