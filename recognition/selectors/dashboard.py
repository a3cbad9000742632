"""A district's points for an award year, for its dashboard (web.dashboards): the total,
its place among the districts and its best sections, read from the leaderboard's sums."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from sections.models import District

from ..leaderboard import district_totals
from ..models import LedgerEntry

TOP_SECTIONS = 5


@dataclass(frozen=True)
class DistrictPoints:
    year: int
    total: int
    sections: int
    # Its place among the districts with points (None without points), and how many there are.
    rank: int | None
    districts: int
    top: list[dict] = field(default_factory=list)


def district_points(district: District, *, year: int) -> DistrictPoints:
    """Three queries: the districts' totals (the leaderboard's), and the district's best sections."""
    totals = district_totals(LedgerEntry.objects.all(), year=year)
    rank, own = next(
        ((number, row) for number, row in enumerate(totals, start=1) if row["code"] == district.code), (None, None)
    )
    top = list(
        LedgerEntry.objects.filter(award_year=year, section__district=district)
        .values("section__slug", "section__name")
        .annotate(points=Sum("points"))
        .order_by("-points", "section__name")[:TOP_SECTIONS]
    )
    return DistrictPoints(
        year=year, total=own["total"] if own else 0, sections=own["sections"] if own else 0,
        rank=rank, districts=len(totals), top=top,
    )
