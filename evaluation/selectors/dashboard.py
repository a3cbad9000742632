"""Reads for a district's dashboard (web.dashboards) on evaluation/' records: check-ins long
overdue, dormant partnerships, health counts, each partnership's last and next check-in, and
check-ins on time per quarter. Each a fixed number of queries whatever the district's size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DateField, DateTimeField, F, Max, Min, OuterRef, Q, QuerySet, Subquery

from partnerships.models import Partnership, Status
from sections.models import District
from twinning.charts import quarter_start, quarters_between
from twinning.db import one_of

from ..models import CheckIn, Health
from .health import with_health
from .reporting import checkins_on_time

# A check-in this many days past its due date needs the coordinator: by then the reminders
# and the overdue notice have gone to the leads (MonitoringSettings' default escalation).
OVERDUE_DAYS = 14
REPORTING_QUARTERS = 8


def overdue_checkins(district: District, *, today: datetime.date) -> QuerySet[CheckIn]:
    """Check-ins of the district's sections in active partnerships, still not submitted more
    than OVERDUE_DAYS after their due date, the oldest first."""
    return (
        CheckIn.objects.filter(
            section__district=district, state=CheckIn.State.DRAFT, period__partnership__status=Status.ACTIVE,
            due_on__lt=today - datetime.timedelta(days=OVERDUE_DAYS),
        )
        .select_related("section", "period__partnership")
        # What the list shows: the rows' other columns (a description, search text) cost
        # more to read and to make into instances than the list itself.
        .only(
            "due_on", "section__name", "period__starts_on", "period__ends_on", "period__partnership__title",
        )
        # NULLS FIRST (due_on has none) so that no index gives this order: with the count
        # beside the rows (first_with_total), PostgreSQL would walk the society's open
        # check-ins by due date for the district's few, expecting to stop after the first ten
        # (3.7 thousand rows, 9 thousand buffers at 5,000 sections, against 2.5 thousand).
        .order_by(F("due_on").asc(nulls_first=True), "section__name", "pk")
    )


def dormant(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The active ones among `partnerships` the nightly job found dormant, quiet longest first."""
    return (
        with_health(partnerships, rank=False)
        .filter(status=Status.ACTIVE, health__health=Health.DORMANT)
        .only("title", "status")
        .order_by("health__since", "pk")
    )


def health_counts(partnerships: QuerySet[Partnership]) -> dict[str, int]:
    """{health: number of the active ones among `partnerships` with it}; one query. Give it
    the active ones only (district_partnerships(…, ACTIVE)): their statuses were read with
    the district's list, and counting them again went over all the district's partnerships."""
    rows = (
        with_health(partnerships.filter(status=Status.ACTIVE), rank=False)
        .values_list("health_code").annotate(n=Count("pk")).order_by()
    )
    return dict(rows)


def with_checkin_dates(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """`partnerships` annotated with `last_checkin` (when the latest check-in was submitted)
    and `next_due` (the earliest due date of a check-in still to submit)."""
    checkins = CheckIn.objects.filter(period__partnership_id=OuterRef("pk"))
    last = checkins.filter(state=CheckIn.State.SUBMITTED).order_by("-submitted_at").values("submitted_at")[:1]
    upcoming = checkins.filter(state=CheckIn.State.DRAFT).order_by("due_on").values("due_on")[:1]
    return partnerships.annotate(
        last_checkin=Subquery(last, output_field=DateTimeField()),
        next_due=Subquery(upcoming, output_field=DateField()),
    )


def checkin_dates_of(partnership_ids: list[int]) -> dict[int, tuple]:
    """{partnership id: (last_checkin, next_due)} as with_checkin_dates annotates them, for
    those of `partnership_ids` with check-ins; one query for all (with_checkin_dates' two
    subqueries run once a row: most of an export's SQL for a large district)."""
    rows = (
        CheckIn.objects.filter(one_of("period__partnership_id", partnership_ids)).order_by()
        .values("period__partnership_id")
        .annotate(
            last=Max("submitted_at", filter=Q(state=CheckIn.State.SUBMITTED)),
            upcoming=Min("due_on", filter=Q(state=CheckIn.State.DRAFT)),
        )
        .values_list("period__partnership_id", "last", "upcoming")
    )
    return {pk: (last, upcoming) for pk, last, upcoming in rows}


@dataclass(frozen=True)
class QuarterOnTime:
    quarter: datetime.date  # its first day
    due: int
    on_time: int

    @property
    def late(self) -> int:
        return self.due - self.on_time


def on_time_by_quarter(district: District, *, today: datetime.date) -> list[QuarterOnTime]:
    """Check-ins of the district's sections due in each of the last REPORTING_QUARTERS
    quarters (this one included), and how many came on time; a quarter with none due
    has due = 0. One query."""
    first = quarter_start(today)
    for _step in range(REPORTING_QUARTERS - 1):
        first = quarter_start(first - datetime.timedelta(days=1))
    counted = {
        row.quarter: row
        for row in checkins_on_time(today=today, since=first, district_ids=[district.pk])
    }
    quarters = []
    for quarter in quarters_between(first, today):
        row = counted.get(quarter)
        quarters.append(QuarterOnTime(quarter, row.due if row else 0, row.on_time if row else 0))
    return quarters
