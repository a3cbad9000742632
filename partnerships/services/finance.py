"""Writes to a partnership's financial support and spending.

Both sides run the support agreement and plan its instalments; only the giver's officers
record an instalment as sent and only the receiver's confirm it received (anyone else who
runs the partnership is refused: 403). Spending is recorded against a funding line of the
plan by either side. Every write locks the partnership first (plan._lock_editable) and is
kept in the records' history with who made it.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning import submissions
from twinning.uploads import discard_file

from .. import notifications
from ..models import Instalment, Partnership, Spending, SupportAgreement
from .plan import _lock_editable, _participating_section_ids
from .uploads import upload_store


@transaction.atomic
def support_agreement_save(
    *, partnership: Partnership, actor, agreement: SupportAgreement, once: uuid.UUID | None = None
) -> SupportAgreement:
    """Create or change a support agreement: giver and receiver are two participating sections."""
    partnership, _access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    if agreement.pk and agreement.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    sections = _participating_section_ids(partnership)
    for field in ("giver", "receiver"):
        if getattr(agreement, f"{field}_id") not in sections:
            raise ValidationError({field: [_("Choose one of the participating sections.")]})
    agreement.partnership = partnership
    agreement._history_user = actor
    agreement.full_clean()
    agreement.save()
    submissions.record(claimed, agreement)
    return agreement


@transaction.atomic
def instalment_add(
    *, partnership: Partnership, actor, instalment: Instalment, once: uuid.UUID | None = None
) -> Instalment:
    partnership, _access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    if instalment.agreement.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    instalment.partnership = partnership
    instalment._history_user = actor
    instalment.full_clean()
    instalment.save()
    submissions.record(claimed, instalment)
    return instalment


def _locked_instalment(partnership: Partnership, instalment: Instalment) -> Instalment:
    try:
        return (
            Instalment.objects.select_for_update(of=("self",)).select_related("agreement")
            .get(pk=instalment.pk, partnership=partnership)
        )
    except Instalment.DoesNotExist:
        raise ValidationError(_("That belongs to another partnership.")) from None


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


@transaction.atomic
def instalment_mark_sent(*, partnership: Partnership, actor, instalment: Instalment, sent_on: datetime.date) -> Instalment:
    """The giver's officers record that the money left."""
    partnership, access = _lock_editable(actor, partnership)
    instalment = _locked_instalment(partnership, instalment)
    if not access.acts_for(instalment.agreement.giver_id):
        raise PermissionDenied(_("Only the giving section's officers record an instalment as sent."))
    if instalment.sent_on is not None:
        # Two officers pressing at once: the first one's date stands.
        raise ValidationError(_("This instalment is recorded as sent on %(day)s already.") % {"day": instalment.sent_on})
    _not_future(sent_on, "sent_on")
    instalment.sent_on, instalment.sent_by = sent_on, actor
    instalment._history_user = actor
    instalment.save(update_fields=["sent_on", "sent_by"])
    notifications.instalment_event(instalment, "sent")
    return instalment


@transaction.atomic
def instalment_mark_received(
    *, partnership: Partnership, actor, instalment: Instalment, received_on: datetime.date, amount: Decimal
) -> Instalment:
    """The receiver's officers confirm what arrived, and how much: a different amount, or money
    confirmed before the giver recorded sending it, shows as a mismatch."""
    partnership, access = _lock_editable(actor, partnership)
    instalment = _locked_instalment(partnership, instalment)
    if not access.acts_for(instalment.agreement.receiver_id):
        raise PermissionDenied(_("Only the receiving section's officers confirm an instalment received."))
    if instalment.received_on is not None:
        raise ValidationError(
            _("This instalment is confirmed received on %(day)s already.") % {"day": instalment.received_on}
        )
    _not_future(received_on, "received_on")
    instalment.received_on, instalment.received_amount, instalment.received_by = received_on, amount, actor
    instalment._history_user = actor
    instalment.full_clean()
    instalment.save(update_fields=["received_on", "received_amount", "received_by"])
    notifications.instalment_event(instalment, "received")
    return instalment


@transaction.atomic
def spending_add(
    *, partnership: Partnership, actor, spending: Spending, receipt=None, once: uuid.UUID | None = None
) -> Spending:
    """Record what a funding line paid for, with its receipt (checked by the form, counted
    against the partnership's uploads an hour)."""
    partnership, _access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    if spending.funding_line.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    spending.partnership = partnership
    spending.recorded_by = actor
    spending._history_user = actor
    if receipt:
        upload_store(
            partnership=partnership, actor=actor, instance=spending, field="receipt", upload=receipt,
            error_field="receipt",
        )
    spending.full_clean()
    spending.save()
    submissions.record(claimed, spending)
    return spending


@transaction.atomic
def spending_delete(*, partnership: Partnership, actor, spending: Spending) -> None:
    partnership, _access = _lock_editable(actor, partnership)
    if spending.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    # Its history keeps the row; the receipt goes once the deletion commits.
    discard_file(spending, "receipt")
    spending._history_user = actor
    spending.delete()
