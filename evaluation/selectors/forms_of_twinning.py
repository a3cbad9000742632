"""Reads of the forms of twinning for evaluation's reports: the exchanges, money and growth
milestones of one check-in's period, and the evidence a closing evaluation shows (done
exchanges, the formative section's growth, the finances per currency).

The records are partnerships'; these only choose what a report shows, each in a fixed
number of queries. No personal data: an exchange shows how many took part, never who.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from partnerships.finance import CurrencyTotal, partnership_finances, support_agreements_of
from partnerships.models import Exchange, FundingLine, GrowthMilestone, GrowthSnapshot, Instalment, Partnership
from partnerships.services.growth import is_growing

from ..models import CheckIn, ExchangeReport
from ..services.checkin_exchanges import period_exchanges, reportable

ZERO = Decimal("0")


def _exchanges() -> QuerySet[Exchange]:
    return Exchange.objects.select_related("host_section", "sending_section").annotate(people=Count("participants"))


@dataclass
class ExchangeRow:
    """One exchange of the check-in's period, with what the check-in said of it."""

    exchange: Exchange
    report: ExchangeReport | None
    asks: bool


def checkin_exchanges(checkin: CheckIn, today: datetime.date) -> list[ExchangeRow]:
    """The period's exchanges of the check-in's section (see services.checkin_exchanges),
    each with what the check-in said of it and whether the form asks about it; a submitted
    check-in shows what it reported, even of an exchange since moved out of the period's
    list. Two queries."""
    reports = {report.exchange_id: report for report in ExchangeReport.objects.filter(checkin=checkin)}
    exchanges = list(period_exchanges(checkin))
    if checkin.state == CheckIn.State.SUBMITTED:
        listed = {exchange.pk for exchange in exchanges}
        missing = [pk for pk in reports if pk not in listed]
        if missing:
            exchanges += list(_exchanges().filter(pk__in=missing))
    return [
        ExchangeRow(
            exchange=exchange, report=reports.get(exchange.pk),
            asks=checkin.state == CheckIn.State.DRAFT and reportable(exchange, today),
        )
        for exchange in exchanges
    ]


@dataclass
class PeriodFinances:
    """The money of one period, for one side: the instalments of its support agreements
    planned in the period, and every funding line's spending against its budget."""

    instalments: list[Instalment]
    lines: list[FundingLine]


def instalment_state(instalment: Instalment, today: datetime.date) -> str:
    if instalment.received_on:
        return "received"
    if instalment.sent_on:
        return "sent"
    return "late" if instalment.is_late(today) else "planned"


def period_finances(checkin: CheckIn, partnership: Partnership, today: datetime.date) -> PeriodFinances | None:
    """None when the reporting side gives or receives no support; else four queries
    (partnerships.finance.partnership_finances)."""
    period = checkin.period
    everyone = support_agreements_of(partnership)
    agreements = [a for a in everyone if checkin.section_id in (a.giver_id, a.receiver_id)]
    if not agreements:
        # Not the funding lines either: the page shows none of it.
        return None
    finances = partnership_finances(partnership, today, agreements=everyone)
    instalments = []
    for agreement in agreements:
        for instalment in agreement.instalments.all():
            if period.starts_on <= instalment.planned_on <= period.ends_on:
                instalment.agreement = agreement
                instalment.state = instalment_state(instalment, today)
                instalments.append(instalment)
    instalments.sort(key=lambda instalment: (instalment.planned_on, instalment.pk))
    for line in finances.lines:
        line.spent_in_period = sum(
            (s.amount for s in line.spendings.all() if period.starts_on <= s.spent_on <= period.ends_on), ZERO
        )
    return PeriodFinances(instalments=instalments, lines=finances.lines)


def period_milestones(checkin: CheckIn, partnership: Partnership) -> list[GrowthMilestone] | None:
    """The growth milestones due or done in the period; None when the partnership grows no section."""
    if not is_growing(partnership):
        return None
    period = checkin.period
    return list(
        GrowthMilestone.objects.filter(partnership=partnership)
        .filter(
            Q(target_date__range=(period.starts_on, period.ends_on))
            | Q(done_on__range=(period.starts_on, period.ends_on))
        )
        .select_related("kind")
    )


@dataclass
class ClosingEvidence:
    """What the forms of twinning left, as a closing evaluation and the report show it."""

    exchanges: list[Exchange] = field(default_factory=list)
    growing: bool = False
    start: GrowthSnapshot | None = None
    end: GrowthSnapshot | None = None
    milestones: list[GrowthMilestone] = field(default_factory=list)
    totals: list[CurrencyTotal] = field(default_factory=list)

    @property
    def milestones_done(self) -> list[GrowthMilestone]:
        return [milestone for milestone in self.milestones if milestone.is_done]

    @property
    def member_change(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return self.end.member_count - self.start.member_count


def closing_evidence(partnership: Partnership, today: datetime.date) -> ClosingEvidence:
    """Done exchanges (with how many took part), growth from the activation snapshot to
    the end one with the milestones, and per currency what was promised, sent, received,
    budgeted and spent. Seven queries, however many records."""
    evidence = ClosingEvidence(
        exchanges=list(_exchanges().filter(partnership=partnership, status=Exchange.Status.DONE).order_by("start_date", "pk")),
    )
    finances = partnership_finances(partnership, today)
    evidence.totals = finances.totals
    if is_growing(partnership):
        evidence.growing = True
        snapshots = {s.moment: s for s in GrowthSnapshot.objects.filter(partnership=partnership).select_related("section")}
        evidence.start = snapshots.get(GrowthSnapshot.Moment.ACTIVATION)
        evidence.end = snapshots.get(GrowthSnapshot.Moment.END)
        evidence.milestones = list(GrowthMilestone.objects.filter(partnership=partnership).select_related("kind"))
    return evidence
