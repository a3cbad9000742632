"""Reads for a partnership's finances: its support agreements with their instalments and
what needs a look (late, mismatched), and each funding line's budget against its spending.

Totals are kept per currency: an amount is only ever added to amounts of its own currency.
A fixed number of queries whatever the number of lines and entries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from .models import FundingLine, Instalment, Partnership, Spending, SupportAgreement

ZERO = Decimal("0")


@dataclass
class CurrencyTotal:
    currency: str
    budget: Decimal = ZERO
    spent: Decimal = ZERO
    agreed: Decimal = ZERO
    sent: Decimal = ZERO
    received: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.budget


@dataclass
class Finances:
    agreements: list[SupportAgreement]
    lines: list[FundingLine]
    totals: list[CurrencyTotal]
    late: list[Instalment] = field(default_factory=list)
    mismatched: list[Instalment] = field(default_factory=list)

    @property
    def flags(self) -> int:
        return len(self.late) + len(self.mismatched)


def totals_by_currency(lines, agreements=()) -> list[CurrencyTotal]:
    """Budget, spending and support per currency, in currency order; never one sum of two currencies."""
    totals: dict[str, CurrencyTotal] = defaultdict(lambda: CurrencyTotal(""))
    for line in lines:
        total = totals[line.currency]
        total.budget += line.amount
        total.spent += line.spent
    for agreement in agreements:
        total = totals[agreement.currency]
        total.agreed += agreement.amount
        for instalment in agreement.instalments.all():
            if instalment.sent_on:
                total.sent += instalment.amount
            if instalment.received_on:
                total.received += instalment.received_amount
    for currency, total in totals.items():
        total.currency = currency
    return [totals[currency] for currency in sorted(totals)]


def support_agreements_of(partnership: Partnership) -> list:
    """The partnership's support agreements with their instalments: two queries (one when
    it has none)."""
    return list(
        partnership.support_agreements.select_related("giver", "receiver", "return_form").prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.select_related("sent_by", "received_by"))
        )
    )


def partnership_finances(partnership: Partnership, today: datetime.date, *, agreements: list | None = None) -> Finances:
    """Four queries: agreements, their instalments, funding lines, their spending; two when
    the agreements are passed in (as support_agreements_of read them)."""
    if agreements is None:
        agreements = support_agreements_of(partnership)
    lines = list(
        partnership.funding_lines.prefetch_related(
            Prefetch("spendings", queryset=Spending.objects.select_related("recorded_by"))
        )
    )
    for line in lines:
        line.spent = sum((spending.amount for spending in line.spendings.all()), ZERO)
        line.remaining = line.amount - line.spent
        line.overspent = line.spent > line.amount
    finances = Finances(agreements=agreements, lines=lines, totals=totals_by_currency(lines, agreements))
    for agreement in agreements:
        for instalment in agreement.instalments.all():
            instalment.late = instalment.is_late(today)
            if instalment.late:
                finances.late.append(instalment)
            if instalment.mismatch:
                finances.mismatched.append(instalment)
    return finances


def instalment_flagged(today: datetime.date) -> Q:
    """Instalments that need a look: late (planned date passed, not received), or received
    without being sent, or received in another amount than planned."""
    return (
        Q(planned_on__lt=today, received_on__isnull=True)
        | Q(received_on__isnull=False, sent_on__isnull=True)
        | (Q(received_on__isnull=False) & ~Q(received_amount=F("amount")))
    )


def with_instalment_problems(partnerships: QuerySet[Partnership], today: datetime.date) -> QuerySet[Partnership]:
    """Those of `partnerships` with an instalment that needs a look."""
    return partnerships.filter(
        Exists(Instalment.objects.filter(instalment_flagged(today), partnership_id=OuterRef("pk")))
    )
