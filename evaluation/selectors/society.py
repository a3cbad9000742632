"""Society-wide reads of evaluation/ for the society dashboard: the active partnerships'
health by district and the check-ins on time by district; one query each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from partnerships.models import Partnership, Status
from twinning.charts import quarter_start

from .health import with_health
from .reporting import checkins_on_time

# The quarters the district table's "check-ins on time" looks back over, this one included.
ON_TIME_QUARTERS = 4


@dataclass(frozen=True)
class OnTimeTotal:
    due: int
    on_time: int


def active_health_by_district() -> dict[tuple[int, str], int]:
    """{(district id, health code): active partnerships with a section of that district};
    one query. A partnership between two districts counts in both."""
    rows = (
        with_health(Partnership.objects.filter(status=Status.ACTIVE))
        .values("participants__section__district_id", "health_code")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return {(row["participants__section__district_id"], row["health_code"]): row["count"] for row in rows}


def on_time_since(today: datetime.date) -> datetime.date:
    """The first day of the quarter ON_TIME_QUARTERS - 1 quarters before today's."""
    start = quarter_start(today)
    months = start.year * 12 + start.month - 1 - 3 * (ON_TIME_QUARTERS - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


def checkins_on_time_by_district(*, today: datetime.date) -> dict[int, OnTimeTotal]:
    """Check-ins due over the last ON_TIME_QUARTERS quarters (to today) and how many came
    on time, by district; one query."""
    totals: dict[int, OnTimeTotal] = {}
    for row in checkins_on_time(today=today, since=on_time_since(today)):
        seen = totals.get(row.district_id, OnTimeTotal(0, 0))
        totals[row.district_id] = OnTimeTotal(due=seen.due + row.due, on_time=seen.on_time + row.on_time)
    return totals
