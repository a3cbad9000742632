"""Ledger rows written directly, as the points engine would (it is built elsewhere): the
district page and the leaderboard only read the ledger."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType

from partnerships.models import Partnership
from recognition.models import LedgerEntry, PointRule

_source_ids = itertools.count(1_000_000)


def entry(section, points: int, *, year: int = 2026, event: str = "activated", partnership=None,
          kind: str = LedgerEntry.Kind.EARNED, by=None) -> LedgerEntry:
    """One ledger entry for `section`; each gets its own source, so the unique constraint holds."""
    adjustment = kind == LedgerEntry.Kind.ADJUSTMENT
    rule = None if adjustment else PointRule.objects.filter(event=event).order_by("effective_from").first()
    return LedgerEntry.objects.create(
        section=section,
        points=points,
        kind=kind,
        rule=rule,
        source_type=None if adjustment else ContentType.objects.get_for_model(Partnership),
        source_id=None if adjustment else (partnership.pk if partnership else next(_source_ids)),
        partnership=partnership,
        award_year=year,
        occurred_on=datetime.date(year, 6, 1),
        reason="A correction" if adjustment else "Test entry",
        created_by=by,
    )
