"""A change to the shared agreement that one side proposes and the other sides confirm.

The agreement (verbal or written, the signing date, the signed document, the planned end)
binds every participating section, so no side rewrites it alone: a side's officer proposes
the change, each other side's officer confirms it, and only then does the partnership
change. The row keeps who proposed it, what it said before and after, and how it ended, so
the partnership's history shows every step. A section's own signatory is not here: each
side records its own (partnerships/services/agreement.py: signatory_record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sections.models import Section

from .partnership import Partnership


def agreement_change_upload_to(instance: AgreementChange, filename: str) -> str:
    return f"agreements/{instance.partnership_id}/proposed/{filename}"


class AgreementChange(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the other side")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_changes",
        verbose_name=_("partnership"),
    )
    proposed_by_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by section")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(auto_now_add=True)

    # What the agreement would say.
    kind = models.CharField(_("agreement"), max_length=10, choices=Partnership.AgreementKind.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    planned_end_date = models.DateField(_("planned end date"))
    # A new signed document, when the change brings one; a written agreement without one
    # keeps the document it has.
    document = models.FileField(_("new signed document"), upload_to=agreement_change_upload_to, blank=True)

    # What it said when the change was proposed, for the history (the document by name).
    kind_before = models.CharField(
        max_length=10, choices=Partnership.AgreementKind.choices, blank=True,
        verbose_name=_("kind before"),
    )
    signed_on_before = models.DateField(null=True, blank=True, verbose_name=_("signed on before"))
    planned_end_date_before = models.DateField(verbose_name=_("planned end date before"))
    document_before = models.CharField(max_length=255, blank=True, verbose_name=_("document before"))

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("agreement change")
        verbose_name_plural = _("agreement changes")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One change waits at a time: the other side answers one question, not several
            # that contradict each other.
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(state="pending"), name="agreement_change_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="agreement_change_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class AgreementConfirmation(models.Model):
    """One other side's confirmation of a proposed change: by whom, for which section, when."""

    change = models.ForeignKey(
        AgreementChange, on_delete=models.CASCADE, related_name="confirmations",
        verbose_name=_("change"),
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement confirmation")
        verbose_name_plural = _("agreement confirmations")
        constraints = [
            models.UniqueConstraint(fields=["change", "section"], name="agreement_confirmation_once_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.section} confirms {self.change}"
