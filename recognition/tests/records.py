"""Records for the points tests, written straight to the database as the services leave
them (a status change, a submitted check-in, a confirmed evaluation, a published lesson or
story): the ledger is computed from records, so these are all it reads."""

from __future__ import annotations

import datetime

import time_machine
from django.db.models import Sum

from evaluation.models import CheckIn, Evaluation, Lesson, ReportingPeriod, Story
from partnerships.models import Activity, Goal, Objective, Partnership, Status, Transition
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from recognition.models import LedgerEntry
from sections.models import TwinningForm

UTC = datetime.UTC


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=UTC)


def partnership_of(a, b, *, start=datetime.date(2026, 1, 1), forms=("technical-exchange",)) -> Partnership:
    partnership = PartnershipFactory(proposing_section=a, start_date=start, planned_end_date=start.replace(year=start.year + 2))
    partnership.forms.set(TwinningForm.objects.filter(code__in=forms))
    for section in (a, b):
        ParticipantFactory(partnership=partnership, section=section, response="accepted")
    return partnership


def move(partnership: Partnership, to: str, on: datetime.date) -> Partnership:
    with time_machine.travel(at(on), tick=False):
        Transition.objects.create(partnership=partnership, from_status=partnership.status, to_status=to)
    Partnership.objects.filter(pk=partnership.pk).update(status=to, end_reason="Priorities changed." if to == Status.ENDED else "")
    partnership.status = to
    return partnership


def activities_done(partnership: Partnership, count: int) -> None:
    goal = Goal.objects.create(partnership=partnership, title="Grow")
    objective = Objective.objects.create(partnership=partnership, goal=goal, title="Exchange")
    form = partnership.forms.first()
    for n in range(count):
        Activity.objects.create(
            partnership=partnership, objective=objective, title=f"Visit {n}", form=form,
            owning_section=partnership.proposing_section, start_date=partnership.start_date,
            end_date=partnership.start_date, status=Activity.Status.DONE,
        )


def checkin(partnership: Partnership, section, on: datetime.date, *, late: bool = False, number: int = 0) -> CheckIn:
    period, _ = ReportingPeriod.objects.get_or_create(
        partnership=partnership, number=number,
        defaults={"starts_on": on, "ends_on": on, "due_on": on},
    )
    return CheckIn.objects.create(
        period=period, section=section, due_on=period.due_on, state=CheckIn.State.SUBMITTED, overall="on-track",
        submitted_at=at(on), late=late,
    )


def evaluation(partnership: Partnership, kind: str, on: datetime.date) -> Evaluation:
    return Evaluation.objects.create(partnership=partnership, kind=kind, summary="Both grew.", final_at=at(on))


def lesson(partnership: Partnership, section, on: datetime.date) -> Lesson:
    return Lesson.objects.create(
        partnership=partnership, section=section, title="Plan early", context="Two sections.",
        what_happened="Visas took long.", learned="Start early.", recommendation="Book ahead.",
        state=Lesson.State.PUBLISHED, published_at=at(on),
    )


def story(partnership: Partnership, on: datetime.date) -> Story:
    final = Evaluation.objects.filter(partnership=partnership, kind=Evaluation.Kind.FINAL).first() or evaluation(
        partnership, Evaluation.Kind.FINAL, on
    )
    return Story.objects.create(partnership=partnership, evaluation=final, title="Grown", achieved="Much.",
                                published_at=at(on))


def ledger() -> list[tuple]:
    """The ledger as a comparable list."""
    return sorted(LedgerEntry.objects.values_list(
        "section_id", "points", "kind", "rule_id", "source_type_id", "source_id", "award_year", "occurred_on",
    ))


def total(section) -> int:
    return LedgerEntry.objects.filter(section=section).aggregate(total=Sum("points"))["total"] or 0
