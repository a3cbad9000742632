"""Society-wide reads for the society dashboard: partnerships by district and status, the
lifecycle's events per quarter, the forms of twinning per year, and who twins with whom.

Each read is one aggregate query, whatever the number of districts or partnerships; the
dashboard (web/) lays the rows out. The querysets that narrow a partnership list to the
partnerships behind one of these numbers live here too, so a number and its list agree.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear, Greatest, Least, TruncQuarter
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sections.models import Section

from .models import Participant, Partnership, Status, Transition


@dataclass(frozen=True)
class Event:
    """A step of the lifecycle the society counts, as the status changes that record it."""

    code: str
    label: Promise
    condition: Q


EVENTS: dict[str, Event] = {
    event.code: event
    for event in (
        Event("proposed", _("Proposed"), Q(to_status=Status.PROPOSED)),
        # A resumption also moves a partnership to active; only the first start counts.
        Event("activated", _("Activated"), Q(to_status=Status.ACTIVE) & ~Q(from_status=Status.SUSPENDED)),
        Event("completed", _("Completed"), Q(to_status=Status.COMPLETED)),
        Event("ended", _("Ended early"), Q(to_status=Status.ENDED)),
    )
}

# The readable groups of statuses the dashboard counts by district. Drafts are their
# author's sketch and a declined or withdrawn proposal never started: neither is counted.
STAGES: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "agreeing": (_("Being agreed"), (Status.PROPOSED, Status.ACCEPTED, Status.ENDORSED)),
    "active": (_("Active"), (Status.ACTIVE,)),
    "suspended": (_("Suspended"), (Status.SUSPENDED,)),
    "completed": (_("Completed"), (Status.COMPLETED,)),
    "ended": (_("Ended early"), (Status.ENDED,)),
}


# Left out of the network: a draft was sent to no one, a declined or withdrawn proposal
# never joined its sections.
NETWORK_EXCLUDED = (Status.DRAFT, Status.DECLINED, Status.WITHDRAWN)


@dataclass(frozen=True)
class SectionCounts:
    sections: int
    twinning: int  # taking part in an active partnership
    assessed: int  # with a readiness verdict


@dataclass(frozen=True)
class Pair:
    """Two districts (by id) or two countries (by code), in order, and how many
    partnerships have a participant on each side; `first == second` for partnerships
    between two sections of the same district or country."""

    first: int | str
    second: int | str
    partnerships: int


def partnerships_by_district_and_status() -> dict[tuple[int, str], int]:
    """{(district id, status): partnerships with a section of that district}; one query.
    A partnership between two districts counts in both, once in each."""
    rows = (
        Participant.objects.values("section__district_id", "partnership__status")
        .annotate(count=Count("partnership_id", distinct=True))
        .order_by()
    )
    return {(row["section__district_id"], row["partnership__status"]): row["count"] for row in rows}


def sections_by_district() -> dict[int, SectionCounts]:
    """Per district: its sections, those taking part in an active partnership and those
    with a readiness verdict; one query."""
    # The sections in an active partnership as a subquery the database hashes once, rather
    # than a join to every participation counted DISTINCT: 140 -> 35 ms at 5,000 sections
    # and 40,000 participations.
    twinning = Participant.objects.filter(partnership__status=Status.ACTIVE).values("section_id")
    rows = (
        Section.objects.values("district_id")
        .annotate(
            sections=Count("pk"),
            twinning=Count("pk", filter=Q(pk__in=twinning)),
            assessed=Count("pk", filter=~Q(readiness_verdict="")),
        )
        .order_by()
    )
    return {
        row["district_id"]: SectionCounts(sections=row["sections"], twinning=row["twinning"], assessed=row["assessed"])
        for row in rows
    }


def _event_code() -> Case:
    return Case(
        *[When(event.condition, then=Value(event.code)) for event in EVENTS.values()],
        default=None, output_field=CharField(),
    )


def events_by_quarter() -> dict[tuple[datetime.date, str], int]:
    """{(first day of the quarter, event code): partnerships that took that step in that
    quarter}, over all the recorded history; one query."""
    rows = (
        # The events' own conditions as the filter, not `event IS NOT NULL`: the database then
        # works out the CASE for the 35,000 transitions counted only, not all 88,000.
        Transition.objects.filter(_any_event())
        .annotate(event=_event_code(), quarter=TruncQuarter("at"))
        .values("quarter", "event")
        .annotate(count=Count("partnership_id", distinct=True))
        .order_by()
    )
    return {(_as_date(row["quarter"]), row["event"]): row["count"] for row in rows}


def activated_by_year_and_form() -> dict[tuple[int, str], int]:
    """{(year, form code): partnerships activated that year with that form of twinning};
    a partnership of two forms counts under each. One query."""
    rows = (
        Transition.objects.filter(EVENTS["activated"].condition, partnership__forms__isnull=False)
        .annotate(year=ExtractYear("at"))
        .values("year", "partnership__forms__code")
        .annotate(count=Count("partnership_id", distinct=True))
        .order_by()
    )
    return {(row["year"], row["partnership__forms__code"]): row["count"] for row in rows}


def _pairs(field: str) -> list[Pair]:
    # Each participant with every other participant of its partnership (by a higher id, so a
    # pair is seen once), the two sides' values put in order in SQL.
    other = f"partnership__participants__section__{field}"
    rows = (
        Participant.objects.filter(partnership__participants__pk__gt=F("pk"))
        .exclude(partnership__status__in=NETWORK_EXCLUDED)
        .annotate(first=Least(f"section__{field}", other), second=Greatest(f"section__{field}", other))
        .values("first", "second")
        .annotate(count=Count("partnership_id", distinct=True))
        .order_by("-count", "first", "second")
    )
    return [Pair(first=row["first"], second=row["second"], partnerships=row["count"]) for row in rows]


def district_pairs() -> list[Pair]:
    """Which districts twin with which: partnerships (proposed or later, declined and
    withdrawn proposals left out) per pair of districts, most first; one query."""
    return _pairs("district_id")


def country_pairs() -> list[Pair]:
    """As district_pairs, by the sections' countries."""
    return _pairs("country")


# The narrowing querysets behind the numbers above, for the partnership list's filters.


def with_event(
    queryset: QuerySet[Partnership], *, event: str | None, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Partnership]:
    """The partnerships of `queryset` that took the step `event` (any of the counted steps
    when None) between `start` (included) and `end` (excluded), as events_by_quarter counts."""
    transitions = Transition.objects.filter(EVENTS[event].condition if event else _any_event())
    if start is not None:
        transitions = transitions.filter(at__gte=_midnight(start))
    if end is not None:
        transitions = transitions.filter(at__lt=_midnight(end))
    return queryset.filter(pk__in=transitions.values("partnership_id"))


def between(queryset: QuerySet[Partnership], *, field: str, first, second) -> QuerySet[Partnership]:
    """The partnerships of `queryset` with a participant whose section's `field` (district
    or country) is `first` and another whose is `second`, outside drafts and refused
    proposals, as district_pairs and country_pairs count them."""
    pairs = Participant.objects.filter(
        Q(partnership__participants__pk__lt=F("pk")) | Q(partnership__participants__pk__gt=F("pk")),
        **{f"section__{field}": first, f"partnership__participants__section__{field}": second},
    )
    return queryset.filter(pk__in=pairs.values("partnership_id")).exclude(status__in=NETWORK_EXCLUDED)


def _any_event() -> Q:
    return functools.reduce(operator.or_, (event.condition for event in EVENTS.values()))


def _midnight(day: datetime.date) -> datetime.datetime:
    # The same clock TruncQuarter and ExtractYear read: the current time zone.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
