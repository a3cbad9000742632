"""Over random histories of partnerships (activated or not, completed or ended early,
check-ins on time or late, lessons published), however the events are awarded (by their
hooks, some of them twice, or only by the reconciliation), each section's ledger total is
what the rules say."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.models import CheckIn, Lesson
from partnerships.models import Status
from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests
from recognition.services import points
from recognition.services.reconcile import ledger_reconcile
from sections.tests.factories import SectionFactory

from . import records
from .records import total

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)

partnership_histories = st.fixed_dictionaries({
    "pair": st.sampled_from([(0, 1), (0, 2), (1, 2)]),
    "activated": st.booleans(),
    "closing": st.sampled_from(["running", "completed", "ended"]),
    "completed_after_months": st.integers(1, 30),
    "growing": st.booleans(),
    "activities_done": st.integers(0, 3),
    # (side 0 or 1, late)
    "checkins": st.lists(st.tuples(st.integers(0, 1), st.booleans()), max_size=4),
    "lessons": st.lists(st.integers(0, 1), max_size=2),
})


def expected_points(history: dict) -> dict[int, int]:
    """What the default rules (migration 0002) give, written out by hand: the oracle."""
    earned = {0: 0, 1: 0, 2: 0}
    if not history["activated"]:
        return earned
    sides = history["pair"]
    for section in sides:
        earned[section] += 10
    for side, late in history["checkins"]:
        earned[sides[side]] += 0 if late else 2
    for side in history["lessons"]:
        earned[sides[side]] += 3
    if history["closing"] == "completed":
        for section in sides:
            earned[section] += 20 + history["completed_after_months"] + history["activities_done"]
            earned[section] += 10 if history["growing"] else 0
    return earned


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def build(history: dict, sections) -> None:
    a, b = (sections[i] for i in history["pair"])
    forms = ("growing-section",) if history["growing"] else ("technical-exchange",)
    partnership = records.partnership_of(a, b, start=START, forms=forms)
    if not history["activated"]:
        return
    records.move(partnership, Status.ACTIVE, START)
    for number, (side, late) in enumerate(history["checkins"]):
        records.checkin(partnership, (a, b)[side], add_months(START, number + 1), late=late, number=number)
    for side in history["lessons"]:
        records.lesson(partnership, (a, b)[side], add_months(START, 1))
    records.activities_done(partnership, history["activities_done"])
    if history["closing"] == "completed":
        records.move(partnership, Status.COMPLETED, add_months(START, history["completed_after_months"]))
    elif history["closing"] == "ended":
        records.move(partnership, Status.ENDED, add_months(START, 2))


def award_by_hooks(replays: int) -> None:
    """What the receivers do, each event `replays` times."""
    for _ in range(replays):
        for partnership in records.Partnership.objects.all():
            points.points_award_activation(partnership=partnership)
            points.points_award_completion(partnership=partnership)
        for checkin in CheckIn.objects.all():
            points.points_award_checkin(checkin=checkin)
        for lesson in Lesson.objects.all():
            points.points_award_lesson(lesson=lesson)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(partnership_histories, min_size=1, max_size=4), replays=st.integers(0, 2),
       reconciliations=st.integers(0, 2))
def test_each_sections_total_is_what_the_rules_say(world, histories, replays, reconciliations):
    if replays == reconciliations == 0:
        reconciliations = 1  # something must write the ledger
    with transaction.atomic():
        sections = [world.a, world.b, SectionFactory(name="Gamma Section", slug="gamma")]
        for history in histories:
            build(history, sections)

        award_by_hooks(replays)
        for _ in range(reconciliations):
            ledger_reconcile()

        expected = {0: 0, 1: 0, 2: 0}
        for history in histories:
            for index, earned in expected_points(history).items():
                expected[index] += earned
        assert {index: total(section) for index, section in enumerate(sections)} == expected
        transaction.set_rollback(True)
