"""Financial support: what one section gives another in money, paid in instalments, and
what every funding line of the plan has actually paid for.

Amounts are decimals with the plan's precision (models.plan), each in its ISO 4217
currency; nothing adds amounts of two currencies together. The giving section's return
(one of the other forms of twinning, in words) is required: support stays win-win.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sections.models import Section, TwinningForm

from .partnership import Partnership
from .plan import FundingLine, _currency_field

CENT = Decimal("0.01")


def _positive_money(verbose_name):
    # The plan's precision (models.plan._money_field), but a payment of nothing is no payment.
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, validators=[MinValueValidator(CENT)])


def receipt_upload_to(instance: Spending, filename: str) -> str:
    return f"receipts/{instance.partnership_id}/{filename}"


class SupportAgreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="support_agreements",
        verbose_name=_("partnership"),
    )
    giver = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("giving section"))
    receiver = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving section")
    )
    purpose = models.TextField(_("purpose"), help_text=_("What the money is for."))
    amount = _positive_money(_("amount"))
    currency = _currency_field()
    return_form = models.ForeignKey(
        TwinningForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("the giver gains through"),
        help_text=_("Support is one side of a win-win: the form of twinning through which the giver gains."),
    )
    return_description = models.TextField(
        _("what the giver gains"), help_text=_("In words: what the giving section gains in return.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support agreement")
        verbose_name_plural = _("support agreements")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=F("receiver")), name="support_giver_not_receiver",
                violation_error_message=_("The giving and the receiving section must differ."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="support_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class Instalment(models.Model):
    """One payment of a support agreement: planned, sent (the giver says so), received (the
    receiver confirms, with the amount that arrived)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="instalments", editable=False
    )
    agreement = models.ForeignKey(
        SupportAgreement, on_delete=models.CASCADE, related_name="instalments",
        verbose_name=_("agreement"),
    )
    amount = _positive_money(_("amount"))
    planned_on = models.DateField(_("planned date"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_amount = models.DecimalField(
        _("amount received"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_amount__isnull=False),
                name="instalment_received_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.agreement.currency} ({self.planned_on})"

    def is_late(self, today: datetime.date) -> bool:
        """Its planned date has passed and the money has not arrived."""
        return self.planned_on < today and self.received_on is None

    @property
    def mismatch(self) -> str:
        """Why what arrived does not agree with what was sent, in words; empty when it does."""
        if self.received_on is None:
            return ""
        if self.sent_on is None:
            return str(_("Confirmed received, but the giver has not recorded sending it."))
        if self.received_amount != self.amount:
            return str(_("Received %(received)s, not the %(amount)s planned.") % {
                "received": self.received_amount, "amount": self.amount,
            })
        return ""


class Spending(models.Model):
    """Money a funding line paid for: the plan's budget against the actual."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="spendings", editable=False)
    funding_line = models.ForeignKey(
        FundingLine, on_delete=models.CASCADE, related_name="spendings",
        verbose_name=_("funding line"),
    )
    spent_on = models.DateField(_("date"))
    amount = _positive_money(_("amount"))
    what_for = models.CharField(_("what for"), max_length=300)
    receipt = models.FileField(_("receipt"), upload_to=receipt_upload_to, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending entries")
        ordering = ["spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_positive")]

    def __str__(self) -> str:
        return f"{self.what_for}: {self.amount} {self.funding_line.currency}"
