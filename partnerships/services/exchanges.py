"""Writes to a partnership's exchanges and the people taking part in them.

Each side keeps its own part: the sending section proposes the dates and names who goes;
the host writes the training programme or agenda and confirms the dates. A new date from
the sending side puts a confirmed exchange back to planned, for the host to confirm again.
Either side reports it done, with its outcomes, or cancels it. Every change to an exchange
is kept in its history; the people are personal data, kept in no history, and removed on
request even once the exchange or the partnership is over.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning import submissions

from ..models import Exchange, ExchangeParticipant, Partnership
from ..permissions import PartnershipAccess, access_for
from .plan import _lock_editable, _participating_section_ids

# What each side of an exchange changes on the edit form.
SENDING_FIELDS = ("title", "kind", "start_date", "end_date")
HOST_FIELDS = ("programme",)
DATE_FIELDS = ("start_date", "end_date")


def people_visible(access: PartnershipAccess) -> bool:
    """Whether the viewer reads the names and addresses of the people taking part: the
    participating sections' officers and their districts' coordinators. Others who see the
    partnership (facilitators, society admins) see how many go, not who."""
    districts = {district_id for _s, district_id, _r in access._participants}
    return bool(access.acting) or bool(districts & access.roles.district_ids)


def exchange_sides(access: PartnershipAccess, exchange: Exchange) -> dict[str, bool]:
    """Which side's part of `exchange` the viewer may change now."""
    open_now = not exchange.is_closed
    return {
        "sending": open_now and access.may_change_side(exchange.sending_section_id),
        "host": open_now and access.may_change_side(exchange.host_section_id),
    }


def _lock_exchange(actor, exchange: Exchange) -> tuple[Exchange, PartnershipAccess]:
    partnership, access = _lock_editable(actor, exchange.partnership)
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if locked.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    locked.partnership = partnership
    return locked, access


def _require_open(exchange: Exchange) -> None:
    if exchange.is_closed:
        raise ValidationError(
            _("This exchange is %(status)s; it can no longer change.")
            % {"status": exchange.get_status_display().lower()}
        )


def _save(exchange: Exchange, actor, reason: str = "") -> Exchange:
    exchange._history_user = actor
    if reason:
        exchange._change_reason = reason
    exchange.full_clean()
    exchange.save()
    return exchange


@transaction.atomic
def exchange_plan(
    *,
    partnership: Partnership,
    actor,
    exchange: Exchange,
    return_dates: tuple[datetime.date, datetime.date] | None = None,
    once: uuid.UUID | None = None,
) -> Exchange:
    """Plan an exchange between two participating sections, by an officer of one of them;
    with `return_dates`, a two-way exchange: a return leg, host and sender swapped, on those
    dates. `once` is the form's token (twinning.submissions): a form sent twice saves once."""
    partnership, access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    sections = _participating_section_ids(partnership)
    errors = {}
    for field in ("host_section", "sending_section"):
        if getattr(exchange, f"{field}_id") not in sections:
            errors[field] = [_("Choose one of the participating sections.")]
    if errors:
        raise ValidationError(errors)
    if not (access.acts_for(exchange.host_section_id) or access.acts_for(exchange.sending_section_id)):
        raise PermissionDenied(_("Only officers of the host or the sending section plan an exchange."))
    exchange.partnership = partnership
    exchange.status = Exchange.Status.PLANNED
    exchange.created_by = actor
    if return_dates is not None:
        start, end = return_dates
        back = Exchange(
            partnership=partnership, title=(_("%(title)s (return)") % {"title": exchange.title})[:200],
            kind=exchange.kind, host_section_id=exchange.sending_section_id,
            sending_section_id=exchange.host_section_id, start_date=start, end_date=end, created_by=actor,
        )
        try:
            back.full_clean()
        except ValidationError as exc:
            raise ValidationError({"return_end_date": exc.messages}) from None
        _save(exchange, actor)
        _save(back, actor)
        exchange.return_leg = back
        exchange.save(update_fields=["return_leg"])
    else:
        _save(exchange, actor)
    submissions.record(claimed, exchange)
    return exchange


@transaction.atomic
def exchange_update(*, exchange: Exchange, actor, changes: dict) -> Exchange:
    """Change the sides' parts of an exchange: `changes` maps field names to new values.
    Each field belongs to one side (SENDING_FIELDS, HOST_FIELDS); a new date from the sending
    side puts a confirmed exchange back to planned."""
    exchange, access = _lock_exchange(actor, exchange)
    _require_open(exchange)
    changed = {name: value for name, value in changes.items() if getattr(exchange, name) != value}
    for name in changed:
        if name in SENDING_FIELDS:
            side = exchange.sending_section_id
        elif name in HOST_FIELDS:
            side = exchange.host_section_id
        else:
            raise ValidationError(_("That cannot be changed here."))
        if not access.may_change_side(side):
            raise PermissionDenied(_("Each side changes only its own part of the exchange."))
    if not changed:
        return exchange
    moved = any(name in DATE_FIELDS for name in changed)
    if moved and exchange.status == Exchange.Status.IN_PROGRESS:
        raise ValidationError(_("The exchange is under way: its dates no longer move."))
    for name, value in changed.items():
        setattr(exchange, name, value)
    reason = ""
    if moved and exchange.status == Exchange.Status.CONFIRMED:
        exchange.status = Exchange.Status.PLANNED
        exchange.confirmed_by, exchange.confirmed_at = None, None
        reason = _("New dates proposed: waiting for the host to confirm them")
    return _save(exchange, actor, reason)


@transaction.atomic
def exchange_confirm(*, exchange: Exchange, actor) -> Exchange:
    """The host confirms the dates the sending side proposed."""
    exchange, access = _lock_exchange(actor, exchange)
    if not access.may_change_side(exchange.host_section_id):
        raise PermissionDenied(_("Only the host section's officers confirm the dates."))
    if exchange.status != Exchange.Status.PLANNED:
        raise ValidationError(
            _("This exchange is %(status)s: only a planned one has dates to confirm.")
            % {"status": exchange.get_status_display().lower()}
        )
    exchange.status = Exchange.Status.CONFIRMED
    exchange.confirmed_by, exchange.confirmed_at = actor, timezone.now()
    return _save(exchange, actor, _("Dates confirmed by the host"))


def _require_either_side(access: PartnershipAccess, exchange: Exchange) -> None:
    if not (access.may_change_side(exchange.host_section_id) or access.may_change_side(exchange.sending_section_id)):
        raise PermissionDenied(_("Only officers of the host or the sending section change the exchange."))


@transaction.atomic
def exchange_start(*, exchange: Exchange, actor, today: datetime.date | None = None) -> Exchange:
    """Either side marks a confirmed exchange under way, once its first day has come."""
    exchange, access = _lock_exchange(actor, exchange)
    _require_either_side(access, exchange)
    today = today or timezone.localdate()
    if exchange.status != Exchange.Status.CONFIRMED:
        raise ValidationError(_("Only an exchange whose dates the host confirmed gets under way."))
    if not exchange.has_started(today):
        raise ValidationError(_("The exchange starts on %(day)s.") % {"day": exchange.start_date})
    exchange.status = Exchange.Status.IN_PROGRESS
    return _save(exchange, actor)


@transaction.atomic
def exchange_done(*, exchange: Exchange, actor, outcomes: str, today: datetime.date | None = None) -> Exchange:
    """Either side reports the exchange done, with what came of it."""
    exchange, access = _lock_exchange(actor, exchange)
    _require_either_side(access, exchange)
    today = today or timezone.localdate()
    if exchange.status not in (Exchange.Status.CONFIRMED, Exchange.Status.IN_PROGRESS):
        raise ValidationError(_("Only an exchange whose dates the host confirmed can be done."))
    if not exchange.has_started(today):
        raise ValidationError(_("The exchange starts on %(day)s: it cannot be done before.") % {"day": exchange.start_date})
    if not outcomes.strip():
        raise ValidationError({"outcomes": [_("Say what came of the exchange.")]})
    exchange.status = Exchange.Status.DONE
    exchange.outcomes = outcomes.strip()
    return _save(exchange, actor)


@transaction.atomic
def exchange_cancel(*, exchange: Exchange, actor, reason: str = "") -> Exchange:
    exchange, access = _lock_exchange(actor, exchange)
    _require_either_side(access, exchange)
    _require_open(exchange)
    exchange.status = Exchange.Status.CANCELLED
    return _save(exchange, actor, reason.strip()[:100])


@transaction.atomic
def exchange_participant_add(
    *, exchange: Exchange, actor, participant: ExchangeParticipant, once: uuid.UUID | None = None
) -> ExchangeParticipant:
    """The sending section names someone it sends."""
    exchange, access = _lock_exchange(actor, exchange)
    claimed = submissions.claim(once, user=actor)
    if not access.may_change_side(exchange.sending_section_id):
        raise PermissionDenied(_("Only the sending section's officers name who goes."))
    _require_open(exchange)
    participant.exchange = exchange
    participant.full_clean()
    participant.save()
    submissions.record(claimed, participant)
    return participant


@transaction.atomic
def exchange_participant_remove(*, exchange: Exchange, actor, participant: ExchangeParticipant) -> None:
    """Remove a person, on their request or because they do not go: whatever the state of
    the exchange or the partnership, so personal data can always be taken out. The row is
    deleted; no history of it is kept."""
    partnership = Partnership.objects.select_for_update().get(pk=exchange.partnership_id)
    access = access_for(actor, partnership)
    if participant.exchange_id != exchange.pk or exchange.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another exchange."))
    if not access.acts_for(exchange.sending_section_id):
        raise PermissionDenied(_("Only the sending section's officers remove who goes."))
    ExchangeParticipant.objects.filter(pk=participant.pk).delete()
