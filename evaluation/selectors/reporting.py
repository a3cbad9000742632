"""How well sections report: check-ins on time, by district and quarter, for the dashboards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncQuarter

from partnerships.models import Status

from ..models import CheckIn, ReportingPeriod


@dataclass(frozen=True)
class OnTime:
    district_id: int
    quarter: datetime.date  # the quarter's first day
    due: int
    on_time: int

    @property
    def late(self) -> int:
        return self.due - self.on_time


def checkins_on_time(
    *, today: datetime.date, since: datetime.date | None = None, district_ids=None
) -> list[OnTime]:
    """Check-ins that fell due before `today` (from `since`), and how many of them were
    submitted on time, by the reporting section's district and the quarter of the due date;
    one query. A check-in left unfiled when its partnership closed was never late: it no
    longer counts."""
    open_statuses = [Status.ACTIVE, Status.SUSPENDED]
    if district_ids is None:
        # Society-wide, the open periods as a subquery the database hashes once, asked only
        # of the check-ins not submitted (one in ten), rather than joining every check-in to
        # its period and partnership: 200 -> 130 ms for a year at 94,000 check-ins.
        periods = ReportingPeriod.objects.filter(partnership__status__in=open_statuses).values("pk")
        still_open = Q(period__in=periods)
    else:
        # For some districts, the partnership's status asked (EXISTS, by index) only of the
        # check-ins not submitted, rather than joining every check-in to its period and
        # partnership: 80 -> 26 ms for scale-09's 3,768 check-ins (24,000 -> 3,800 buffers).
        still_open = Exists(
            ReportingPeriod.objects.filter(pk=OuterRef("period_id"), partnership__status__in=open_statuses)
        )
    due = CheckIn.objects.filter(due_on__lt=today).filter(Q(state=CheckIn.State.SUBMITTED) | still_open)
    if since is not None:
        due = due.filter(due_on__gte=since)
    if district_ids is not None:
        due = due.filter(section__district_id__in=list(district_ids))
    rows = (
        due.annotate(quarter=TruncQuarter("due_on"))
        .values("section__district_id", "quarter")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(state=CheckIn.State.SUBMITTED, late=False)))
        .order_by("quarter", "section__district_id")
    )
    return [
        OnTime(district_id=row["section__district_id"], quarter=row["quarter"], due=row["due"], on_time=row["on_time"])
        for row in rows
    ]
