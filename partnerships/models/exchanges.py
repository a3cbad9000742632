"""Exchanges: student training exchanges, information / technical exchanges and study tours.

One exchange is one leg: a host section receives people the sending section sends. A
two-way exchange is two legs, the first pointing at its return leg. The host confirms the
dates the sending side proposes; either side reports it done, with its outcomes.

The people taking part (ExchangeParticipant) are personal data: shown only to the
partnership's officers and coordinators, removed on request, and kept in no history.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from sections.models import Section

from .partnership import Partnership

# A stay up to this long is short-term, counted in weeks (the presentation: "e.g., 2-3
# weeks"); a longer one is long-term, counted in months ("e.g., six months").
SHORT_TERM_DAYS = 8 * 7


class Exchange(models.Model):
    class Kind(models.TextChoices):
        STUDENT_TRAINING = "student-training", _("Student training exchange")
        TECHNICAL = "technical", _("Information / technical exchange")
        STUDY_TOUR = "study-tour", _("Study tour")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_PROGRESS = "in-progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="exchanges", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    host_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("host section")
    )
    sending_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("sending section")
    )
    return_leg = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbound_leg",
        editable=False, verbose_name=_("return leg"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    programme = models.TextField(
        _("training programme or agenda"), blank=True,
        help_text=_("The host's training programme, or the visit's agenda."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    outcomes = models.TextField(_("outcomes"), blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="exchange_ends_after_start",
                violation_error_message=_("An exchange cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(host_section=models.F("sending_section")),
                name="exchange_host_is_not_sender",
                violation_error_message=_("The host and the sending section must differ."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(outcomes=""),
                name="exchange_done_has_outcomes",
                violation_error_message=_("A done exchange needs its outcomes."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:exchange", kwargs={"pk": self.partnership_id, "exchange_id": self.pk})

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def is_short_term(self) -> bool:
        return self.days <= SHORT_TERM_DAYS

    @property
    def duration_label(self) -> str:
        """"Short-term (3 weeks)" or "Long-term (6 months)"."""
        if self.is_short_term:
            weeks = max(1, round(self.days / 7))
            return _("Short-term (%(span)s)") % {"span": ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}}
        months = max(1, round(self.days / 30.44))
        return _("Long-term (%(span)s)") % {"span": ngettext("%(n)d month", "%(n)d months", months) % {"n": months}}

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)

    def has_started(self, today: datetime.date) -> bool:
        return self.start_date <= today


class ExchangeParticipant(models.Model):
    """A person the sending section sends. Personal data: no history is kept of these rows,
    so a person removed on request leaves no trace of their name or address."""

    class Kind(models.TextChoices):
        STUDENT = "student", _("Student")
        MEMBER = "member", _("Member")

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="participants",
        verbose_name=_("exchange"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, help_text=_("What they do in the exchange."))
    kind = models.CharField(_("student or member"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("email (optional)"), blank=True)

    class Meta:
        verbose_name = _("exchange participant")
        verbose_name_plural = _("exchange participants")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
