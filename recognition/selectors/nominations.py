"""Reads of recognition/: what the ledger says, for pages and statements."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils import timezone

from sections.models import Section

from ..models import LedgerEntry, PointRule


def points_statement(section: Section, year: int) -> dict:
    """A section's twinning points for an award year, as the ledger holds them: the total, a
    line per rule's event (how many entries, how many points; an admin's adjustments on a
    line of their own) and each partnership's points. Plain data, so that a nomination can
    keep a copy of it as it stood on the day it was submitted."""
    entries = LedgerEntry.objects.filter(section=section, award_year=year)
    labels = dict(PointRule.Event.choices)
    lines = []
    by_event = entries.values("rule__event").annotate(entries=Count("pk"), points=Sum("points")).order_by("rule__event")
    for row in by_event:
        event = row["rule__event"]
        lines.append({
            "event": event or "adjustment",
            "label": str(labels[event]) if event else str(LedgerEntry.Kind.ADJUSTMENT.label),
            "entries": row["entries"],
            "points": row["points"],
        })
    partnerships = [
        {"id": row["partnership"], "title": row["partnership__title"], "points": row["points"]}
        for row in entries.filter(partnership__isnull=False)
        .values("partnership", "partnership__title")
        .annotate(points=Sum("points"))
        .order_by("-points", "partnership__title")
    ]
    return {
        "year": year,
        "total": sum(line["points"] for line in lines),
        "lines": lines,
        "partnerships": partnerships,
        "as_of": timezone.now().isoformat(),
    }
