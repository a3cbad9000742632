"""When a lead's office ends: the to-do for the section to name a new lead, and the note
the outgoing side leaves for whoever takes over."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sections.models import Officer, Section

from .partnership import Partnership


class LeadVacancy(models.Model):
    """A side lost its lead: `outgoing`'s office in `section` ended (`office`, the last one
    they held there). The section's officers in office are asked to name a new lead; naming
    one resolves it. Made once per lead and ended office, however often the nightly task or
    the office's edit finds it; mailed once (`mailed_at` is claimed by a conditional update)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lead_vacancies",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", verbose_name=_("section"))
    office = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="+", verbose_name=_("office that ended")
    )
    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("outgoing lead")
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("lead to name")
        verbose_name_plural = _("leads to name")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "office"], name="lead_vacancy_once_per_office"
            ),
        ]
        indexes = [
            # The home page and the partnership page ask for a section's open to-dos.
            models.Index(fields=["section"], condition=Q(resolved_at__isnull=True), name="lead_vacancy_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: new lead for {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class HandoverNote(models.Model):
    """What one side's outgoing officers leave for their successors on a partnership: one
    note per side, rewritten as it changes, shown to that side's officers."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="handover_notes",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", verbose_name=_("section"))
    # TextField's max_length binds only forms; the validator holds the service to it too.
    text = models.TextField(_("handover note"), max_length=4000, validators=[MaxLengthValidator(4000)])
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    updated_at = models.DateTimeField(_("last written"), auto_now=True)

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "section"], name="handover_note_once_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.section}: handover note for {self.partnership}"
