"""Each section's stored count of partnerships under way (Section.open_partnerships): those
from "proposed" onwards and not closed, which take up its room for partnerships (a draft does
not). The partner finder reads it instead of counting every participation on every view.

The lifecycle keeps it: a status change that starts or ends a partnership's claim on its
sections' room recounts them (lifecycle._move), and so does a participant added to such a
partnership or removed from any (the admin's inline, a deletion; receivers.recount_participant).
A recount is exact rather than a step of one: it locks the sections' rows first and counts in
the next statement, which on PostgreSQL sees every change committed before the lock was
granted, so two transitions of the same section at once cannot lose one another's change.
`manage.py recount_open_partnerships` checks the whole society and puts right what drifted
(bulk inserts, raw SQL).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from sections.models import Section

from ..models import Participant
from ..models.partnership import COMMITTED_STATUSES


def fresh_open_counts() -> Coalesce:
    """The count of a section's partnerships under way, as an expression on a section queryset."""
    counts = (
        Participant.objects.filter(section=OuterRef("pk"), partnership__status__in=COMMITTED_STATUSES)
        .order_by()
        .values("section")
        .annotate(n=Count("partnership", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


@transaction.atomic
def open_partnerships_recount(*, section_ids: Iterable[int]) -> None:
    """Store the current count of partnerships under way for these sections."""
    ids = sorted(set(section_ids))
    if not ids:
        return
    # Locked in one order, so two transitions of partnerships sharing sections cannot deadlock.
    list(Section.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    Section.objects.filter(pk__in=ids).update(open_partnerships=fresh_open_counts())


def open_partnerships_drift() -> dict[int, tuple[int, int]]:
    """Sections whose stored count differs from a fresh one: pk -> (stored, fresh)."""
    rows = (
        Section.objects.annotate(fresh=fresh_open_counts())
        .exclude(open_partnerships=F("fresh"))
        .values_list("pk", "open_partnerships", "fresh")
    )
    return {pk: (stored, fresh) for pk, stored, fresh in rows}


def open_partnerships_reconcile() -> dict[int, tuple[int, int]]:
    """Put right every stored count that drifted; returns what was wrong (pk -> (stored, fresh))."""
    drift = open_partnerships_drift()
    for start in range(0, len(drift), 500):
        open_partnerships_recount(section_ids=list(drift)[start:start + 500])
    return drift
