"""A district with something in every panel of its dashboard, written as rows (the pages
only read them): the partnerships world's District A (Alpha) with partners in District B."""

from __future__ import annotations

import datetime
import itertools

import time_machine

from evaluation.models import CheckIn, Health, PartnershipHealth, ReportingPeriod
from partnerships.models import Conflict, Participant, Partnership, Status
from partnerships.tests.conftest import World
from partnerships.tests.factories import PartnershipFactory
from sections.models import Section, TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory

# The dashboards' "today" in these tests (time_machine holds the clock there).
TODAY = datetime.date(2026, 6, 15)
_numbers = itertools.count(100)


def partnership(world: World, title: str, *, status: str = Status.ACTIVE, partner: Section | None = None,
                forms=("technical-exchange",)) -> Partnership:
    """Alpha and `partner` (Beta unless given) in a partnership of `status`."""
    made = PartnershipFactory(title=title, status=status, proposing_section=world.a)
    made.forms.set(TwinningForm.objects.filter(code__in=forms))
    for section in (world.a, partner or world.b):
        Participant.objects.create(partnership=made, section=section, response=Participant.Response.ACCEPTED)
    return made


def checkin(made: Partnership, section: Section, *, due_on: datetime.date, submitted_on: datetime.date | None = None,
            late: bool = False) -> CheckIn:
    """A check-in of `section` due on `due_on`; submitted on `submitted_on` when given."""
    period = ReportingPeriod.objects.create(
        partnership=made, number=next(_numbers), starts_on=due_on - datetime.timedelta(days=120),
        ends_on=due_on - datetime.timedelta(days=30), due_on=due_on,
    )
    submitted = {}
    if submitted_on:
        submitted = dict(
            state=CheckIn.State.SUBMITTED, overall=CheckIn.Overall.ON_TRACK, late=late,
            submitted_at=datetime.datetime.combine(submitted_on, datetime.time(10), tzinfo=datetime.UTC),
        )
    return CheckIn.objects.create(period=period, section=section, due_on=due_on, **submitted)


def dormant(made: Partnership, reason: str = "Nothing happened for 130 days.") -> PartnershipHealth:
    return PartnershipHealth.objects.update_or_create(
        partnership=made, defaults={"health": Health.DORMANT, "since": TODAY - datetime.timedelta(days=10),
                                    "reason": reason, "checked_on": TODAY},
    )[0]


def mediation(made: Partnership, section: Section, description: str) -> Conflict:
    return Conflict.objects.create(
        partnership=made, raised_for=section, description=description,
        status=Conflict.Status.MEDIATING, mediator=Conflict.Mediator.COORDINATOR,
    )


def officerless(world: World, name: str) -> Section:
    """A section of District A whose only office ended last year."""
    section = SectionFactory(name=name, district=world.a.district)
    OfficerFactory(section=section, start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2025, 12, 31))
    return section


def fill(world: World, copies: int = 1) -> dict:
    """`copies` of each thing the dashboard shows, in District A; the first copy's records by name."""
    made = {}
    for number in range(copies):
        overdue = partnership(world, f"Overdue {number}")
        made.setdefault("overdue", checkin(overdue, world.a, due_on=TODAY - datetime.timedelta(days=20)))
        made.setdefault("recent", checkin(overdue, world.a, due_on=TODAY - datetime.timedelta(days=10)))
        checkin(overdue, world.a, due_on=TODAY - datetime.timedelta(days=100), submitted_on=TODAY - datetime.timedelta(days=95))
        made.setdefault("upcoming", checkin(overdue, world.a, due_on=TODAY + datetime.timedelta(days=30)))
        sleepy = partnership(world, f"Dormant {number}", forms=("student-exchange",))
        dormant(sleepy)
        made.setdefault("dormant", sleepy)
        conflicted = partnership(world, f"Conflicted {number}")
        made.setdefault("conflict", mediation(conflicted, world.a, f"=HYPERLINK(\"x\") The budget {number}"))
        made.setdefault("accepted", partnership(world, f"Awaiting {number}", status=Status.ACCEPTED))
        made.setdefault("officerless", officerless(world, f"Quiet Section {number}"))
        SectionFactory(name=f"Seeking Section {number}", district=world.a.district, seeking_partner=True)
    return made


def frozen():
    """The clock at TODAY, noon UTC."""
    return time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=datetime.UTC), tick=False)
