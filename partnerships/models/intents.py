"""What a proposal says about each form of twinning it chooses, before anything is planned:
for an exchange who would host first, for how long and what the visitors would learn; for
financial support who gives, roughly how much and what the giver gains in return; for
growing a section which side is the formative one and the first milestones in mind.

One row per chosen form, written with the proposal (services.lifecycle.partnership_propose)
and shown to the partner before it answers. The records of the forms (exchanges, support
agreements, milestones) start from these answers but do not depend on them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sections.models import Section, TwinningForm

from .finance import CENT
from .partnership import Partnership
from .plan import currency_validator

EXCHANGE_CODES = (TwinningForm.Code.STUDENT_EXCHANGE, TwinningForm.Code.TECHNICAL_EXCHANGE)

# The columns each form's questions fill; the others stay empty.
COLUMNS = {
    TwinningForm.Code.STUDENT_EXCHANGE: ("host_section", "both_ways", "length", "learning"),
    TwinningForm.Code.TECHNICAL_EXCHANGE: ("host_section", "both_ways", "length", "learning"),
    TwinningForm.Code.FINANCIAL_SUPPORT: ("giver", "amount", "currency", "giver_gains"),
    TwinningForm.Code.GROWING_SECTION: ("formative_section", "first_milestones"),
}


def question_name(code: str, column: str) -> str:
    """The proposal form's field for a column of a form's intent (both_ways is answered with
    the host)."""
    return f"{code.replace('-', '_')}_{'host_section' if column == 'both_ways' else column}"


class FormIntent(models.Model):
    class Length(models.TextChoices):
        SHORT = "short", _("Short: a few weeks")
        LONG = "long", _("Long: several months")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="form_intents",
        verbose_name=_("partnership"),
    )
    form = models.ForeignKey(
        TwinningForm, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("form of twinning"),
    )
    # Exchanges.
    host_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hosts first"),
    )
    both_ways = models.BooleanField(_("both ways"), default=False, help_text=_("Each side hosts the other; who starts is open."))
    length = models.CharField(_("length"), max_length=10, choices=Length.choices, blank=True)
    learning = models.TextField(_("what the participants would learn or see"), blank=True)
    # Financial support.
    giver = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("giving section"),
    )
    # The support agreement's precision and checks (models.finance), but optional: a rough idea.
    amount = models.DecimalField(
        _("approximate amount"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(CENT)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[currency_validator])
    giver_gains = models.TextField(_("what the giver gains in return"), blank=True)
    # Growing a formative section.
    formative_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("formative section"),
    )
    first_milestones = models.TextField(_("first milestones in mind"), blank=True)

    class Meta:
        verbose_name = _("form intent")
        verbose_name_plural = _("form intents")
        ordering = ["form__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "form"], name="form_intent_one_per_form"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="form_intent_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="") | (Q(amount__isnull=False) & ~Q(currency="")),
                name="form_intent_amount_with_currency",
                violation_error_message=_("An amount needs its currency, and a currency its amount."),
            ),
            models.CheckConstraint(
                condition=Q(host_section__isnull=True) | Q(both_ways=False),
                name="form_intent_one_host_or_both_ways",
                violation_error_message=_("Either one side hosts first, or the exchange goes both ways."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.form)

    @property
    def is_exchange(self) -> bool:
        return self.form.code in EXCHANGE_CODES

    def clean(self) -> None:
        """What each form's questions must answer (the proposal form says so field by field;
        this holds for any other way in): financial support stays win-win, and a growing
        partnership knows which section it grows."""
        code = self.form.code if self.form_id else None
        errors: dict[str, str] = {}
        # An exchange's questions may wait for the planning: none is required.
        if code == TwinningForm.Code.FINANCIAL_SUPPORT:
            if self.giver_id is None:
                errors["giver"] = _("Say which side would give.")
            if not self.giver_gains.strip():
                errors["giver_gains"] = _("Say what the giving side gains in return: support must stay win-win.")
            if self.amount is not None and not self.currency:
                errors["currency"] = _("Give the amount's currency.")
        elif code == TwinningForm.Code.GROWING_SECTION and self.formative_section_id is None:
            errors["formative_section"] = _("Say which side is the formative section.")
        if errors:
            raise ValidationError(errors)
