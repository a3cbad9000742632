"""A check-in's part on the exchanges of its period (called by evaluation.services.checkins,
inside its transaction).

A check-in lists the exchanges its section hosts or sends whose dates overlap the period,
and earlier ones not yet done or cancelled; for each one under way and still open it asks
whether it took place. A draft keeps the answers (ExchangeReport); the submission moves the
exchange through partnerships' own services, with their checks of who may do what: done
with the outcomes, under way, or cancelled with the reason. A refusal there is the field's
error, and the whole check-in is left unsaved.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from partnerships.models import Exchange
from partnerships.services import exchange_cancel, exchange_done, exchange_start

from ..models import CheckIn, ExchangeReport

CLOSED = (Exchange.Status.DONE, Exchange.Status.CANCELLED)


class ExchangeAnswer(NamedTuple):
    """What a check-in says of one exchange: an ExchangeReport.Outcome, what came of it
    (needed when done) and why it was cancelled (needed when cancelled)."""

    outcome: str
    outcomes: str = ""
    reason: str = ""


def field_name(exchange_id: int) -> str:
    return f"exchange_{exchange_id}"


def period_exchanges(checkin: CheckIn) -> QuerySet[Exchange]:
    """The exchanges of the check-in's period its section hosts or sends, with how many
    people take part (a count: no names)."""
    period = checkin.period
    return (
        Exchange.objects.filter(partnership_id=period.partnership_id, start_date__lte=period.ends_on)
        .filter(Q(host_section_id=checkin.section_id) | Q(sending_section_id=checkin.section_id))
        .filter(Q(end_date__gte=period.starts_on) | ~Q(status__in=CLOSED))
        .select_related("host_section", "sending_section")
        .annotate(people=Count("participants"))
        .order_by("start_date", "pk")
    )


def reportable(exchange: Exchange, today: datetime.date) -> bool:
    """Whether the check-in asks about the exchange: its dates have begun and it is open."""
    return not exchange.is_closed and exchange.has_started(today)


def _check(answer: ExchangeAnswer) -> list[str]:
    name = None
    if answer.outcome not in ExchangeReport.Outcome.values:
        name = _("Choose whether the exchange took place.")
    elif answer.outcome == ExchangeReport.Outcome.DONE and not answer.outcomes.strip():
        name = _("Say what came of the exchange.")
    elif answer.outcome == ExchangeReport.Outcome.CANCELLED and not answer.reason.strip():
        name = _("Say why the exchange was cancelled.")
    return [name] if name else []


def exchanges_record(*, checkin: CheckIn, answers: dict[int, ExchangeAnswer | None], today: datetime.date) -> None:
    """Keep the check-in's answers on its exchanges (None takes a draft's answer back).
    Only the period's open exchanges under way may be named; anything else is refused."""
    if not answers:
        return
    open_ones = {exchange.pk for exchange in period_exchanges(checkin) if reportable(exchange, today)}
    if any(exchange_id not in open_ones for exchange_id in answers):
        raise ValidationError(_("The report names an exchange that is not open in this period for this section."))
    errors = {}
    for exchange_id, answer in answers.items():
        if answer is not None and (problems := _check(answer)):
            errors[field_name(exchange_id)] = problems
    if errors:
        raise ValidationError(errors)
    for exchange_id, answer in answers.items():
        if answer is None:
            ExchangeReport.objects.filter(checkin=checkin, exchange_id=exchange_id).delete()
            continue
        report, _created = ExchangeReport.objects.update_or_create(
            checkin=checkin, exchange_id=exchange_id,
            defaults={
                "outcome": answer.outcome,
                "outcomes": answer.outcomes.strip() if answer.outcome == ExchangeReport.Outcome.DONE else "",
                "reason": answer.reason.strip()[:100] if answer.outcome == ExchangeReport.Outcome.CANCELLED else "",
            },
        )
        report.full_clean()


def exchanges_apply(*, checkin: CheckIn, actor, today: datetime.date) -> None:
    """On submission: move each exchange the check-in answered for, through the exchange
    services (who may change it is theirs to say). One the partner closed meanwhile keeps
    this check-in's answer as the section's report and is not moved again."""
    reports = ExchangeReport.objects.filter(checkin=checkin).select_related("exchange").order_by("exchange_id")
    for report in reports:
        exchange = report.exchange
        try:
            if exchange.is_closed:
                continue
            if report.outcome == ExchangeReport.Outcome.DONE:
                exchange_done(exchange=exchange, actor=actor, outcomes=report.outcomes, today=today)
            elif report.outcome == ExchangeReport.Outcome.CANCELLED:
                exchange_cancel(exchange=exchange, actor=actor, reason=report.reason)
            elif exchange.status == Exchange.Status.CONFIRMED:
                exchange_start(exchange=exchange, actor=actor, today=today)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ValidationError({field_name(exchange.pk): messages}) from None
