"""Points appear as the services record events, once the change commits, with nothing left
for the nightly reconciliation to fill."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from evaluation.models import Lesson, Story
from evaluation.services.lessons import lesson_publish, lesson_save
from evaluation.tests import closing_helpers, monitoring, story_helpers
from evaluation.tests.factories import lesson_data
from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests
from recognition.models import LedgerEntry
from recognition.services.reconcile import ledger_reconcile

pytestmark = pytest.mark.django_db


def events(world) -> set[tuple[str, str]]:
    names = {world.a.pk: "a", world.b.pk: "b"}
    return {(event, names[section]) for event, section in LedgerEntry.objects.values_list("rule__event", "section")}


def test_a_partnership_earns_points_as_its_events_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = monitoring.activate(world, datetime.date(2026, 1, 15))
    assert events(world) == {("activated", "a"), ("activated", "b")}

    with django_capture_on_commit_callbacks(execute=True):
        monitoring.submit(partnership, world.a, world.officer_a, datetime.date(2026, 4, 20), "on-track")
    assert ("checkin-on-time", "a") in events(world)

    draft = Lesson.objects.create(
        partnership=partnership, section=world.b, author=world.officer_b, title="Start early", context="Two.",
        what_happened="Late visas.", learned="Apply first.", recommendation="Apply a semester ahead.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        lesson_publish(lesson=draft, actor=world.officer_b)
    assert ("lesson-published", "b") in events(world)

    with time_machine.travel(monitoring.at(datetime.date(2026, 12, 1)), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            closing_helpers.complete(world, partnership)

    assert {("final-confirmed", "a"), ("final-confirmed", "b"), ("completed", "a"), ("completed", "b")} <= events(world)
    assert ledger_reconcile().filled == 0  # the hooks left no gap


def test_a_rolled_back_activation_earns_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        monitoring.activate(world, datetime.date(2026, 1, 15))

    assert callbacks  # queued for the commit, which never comes in this test
    assert not LedgerEntry.objects.exists()


def test_a_lesson_written_and_published_at_once_earns_its_section_points(world, django_capture_on_commit_callbacks):
    partnership = monitoring.activate(world, datetime.date(2026, 1, 15))

    with django_capture_on_commit_callbacks(execute=True):
        lesson_save(actor=world.officer_a, partnership=partnership, section=world.a, data=lesson_data(), publish=True)
        lesson_save(actor=world.officer_b, partnership=partnership, section=world.b, data=lesson_data())

    assert ("lesson-published", "a") in events(world) and ("lesson-published", "b") not in events(world)


def test_a_story_published_on_completion_earns_every_side_points(world, django_capture_on_commit_callbacks):
    partnership = story_helpers.running(world)
    story_helpers.published_lesson(world, partnership)
    story_helpers.final_evaluation(world, partnership)

    with django_capture_on_commit_callbacks(execute=True):
        story_helpers.complete(world, partnership)

    assert Story.objects.get(partnership=partnership).published_at is not None
    assert {("story-published", "a"), ("story-published", "b"), ("completed", "a")} <= events(world)
