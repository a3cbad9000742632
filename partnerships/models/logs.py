"""What happens between the partners: the communications log and the conflict log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sections.models import Section

from .partnership import Partnership


class CommunicationEntry(models.Model):
    class Channel(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call or video call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="communications",
        verbose_name=_("partnership"),
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    participants = models.CharField(_("who took part"), max_length=500)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications log")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.date}"


class Conflict(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MEDIATING = "mediating", _("In mediation")
        RESOLVED = "resolved", _("Resolved")

    class Mediator(models.TextChoices):
        NONE = "", _("No mediation asked")
        COORDINATOR = "coordinator", _("The district coordinator")
        FACILITATOR = "facilitator", _("The facilitator")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="conflicts",
        verbose_name=_("partnership"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("raised by"),
    )
    raised_for = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised for section")
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    description = models.TextField(_("what the disagreement is about"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    mediator = models.CharField(
        _("mediation asked of"), max_length=20, choices=Mediator.choices, blank=True, default=""
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    # Only the raising section updates its conflict; the partner reads every step in the history.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflict log")
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="resolved") | ~models.Q(resolution=""),
                name="conflict_resolved_has_resolution",
                violation_error_message=_("Say how the conflict was resolved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.description[:60]}"
