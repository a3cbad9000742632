"""Points from records: each event earns what the rule in effect that day says, once, for
the sections the rule names; an event undone is reversed, never deleted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import Evaluation, Lesson, Story
from partnerships.models import Status
from recognition.models import LedgerEntry, PointRule, ReconciliationRun
from recognition.services import points
from recognition.services.reconcile import ledger_reconcile

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests

from . import records
from .records import ledger, total

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


def full_history(world):
    """One partnership through every event: activated, check-ins (one late), a mid-term
    review and final evaluation, a lesson, completed with two activities done, a story;
    it has the growing-a-section form, which earns a bonus."""
    partnership = records.partnership_of(world.a, world.b, start=d(1, 1), forms=("growing-section", "technical-exchange"))
    records.move(partnership, Status.ACTIVE, d(1, 5))
    records.checkin(partnership, world.a, d(4, 10))
    records.checkin(partnership, world.b, d(4, 20), late=True)
    records.evaluation(partnership, Evaluation.Kind.MIDTERM, d(6, 1))
    records.lesson(partnership, world.a, d(11, 1))
    records.evaluation(partnership, Evaluation.Kind.FINAL, d(12, 1))
    records.activities_done(partnership, 2)
    records.move(partnership, Status.COMPLETED, d(12, 15))
    records.story(partnership, d(12, 16))
    return partnership


def award_every_event(partnership):
    points.points_award_activation(partnership=partnership)
    points.points_award_completion(partnership=partnership)
    for checkin in records.CheckIn.objects.filter(period__partnership=partnership):
        points.points_award_checkin(checkin=checkin)
    for evaluation in Evaluation.objects.filter(partnership=partnership):
        points.points_award_evaluation(evaluation=evaluation)
    for lesson in Lesson.objects.filter(partnership=partnership):
        points.points_award_lesson(lesson=lesson)
    for story in Story.objects.filter(partnership=partnership):
        points.points_award_story(story=story)


def test_every_event_earns_what_the_default_rules_say(world):
    full_history(world)

    ledger_reconcile()

    by_event = {
        (entry.rule.event, entry.section_id): entry.points
        for entry in LedgerEntry.objects.select_related("rule")
    }
    a, b = world.a.pk, world.b.pk
    assert by_event == {
        ("activated", a): 10, ("activated", b): 10,
        ("checkin-on-time", a): 2,  # b's was late: nothing
        ("midterm-done", a): 5, ("midterm-done", b): 5,
        ("final-confirmed", a): 10, ("final-confirmed", b): 10,
        ("lesson-published", a): 3,  # the writing section only
        # 20, one per whole month from 1 January to 15 December (11), one per activity done (2)
        ("completed", a): 33, ("completed", b): 33,
        ("form-bonus", a): 10, ("form-bonus", b): 10,
        ("story-published", a): 5, ("story-published", b): 5,
    }
    assert {entry.award_year for entry in LedgerEntry.objects.all()} == {2026}
    assert total(world.a) == 78 and total(world.b) == 73


def test_replaying_every_event_twice_leaves_the_same_ledger(world):
    partnership = full_history(world)

    award_every_event(partnership)
    once = ledger()
    award_every_event(partnership)
    ledger_reconcile()
    ledger_reconcile()

    assert ledger() == once
    assert len(once) == 14
    assert ReconciliationRun.objects.filter(filled=0, reversed=0).count() == 2


def test_the_reconciliation_fills_what_no_hook_wrote_and_says_so(world):
    full_history(world)

    run = ledger_reconcile()

    assert run.filled == 14 and run.reversed == 0 and run.finished_at is not None
    assert len(run.details) == 14 and {row["action"] for row in run.details} == {"filled"}


def test_a_rule_change_applies_from_its_date_and_leaves_earlier_entries_alone(world):
    first = records.partnership_of(world.a, world.b)
    records.move(first, Status.ACTIVE, d(3, 1))
    points.points_award_activation(partnership=first)
    before = ledger()
    old = PointRule.objects.get(event=PointRule.Event.ACTIVATED)

    old.effective_until = d(5, 31)
    old.full_clean()
    old.save()
    new = PointRule(event=PointRule.Event.ACTIVATED, points=25, effective_from=d(6, 1), earner=PointRule.Earner.EVERY_SIDE)
    new.full_clean()
    new.save()
    later = records.partnership_of(world.a, world.b)
    records.move(later, Status.ACTIVE, d(6, 2))
    points.points_award_activation(partnership=later)
    ledger_reconcile()

    assert [row for row in ledger() if row[5] == first.pk] == before
    assert set(LedgerEntry.objects.filter(partnership=first).values_list("points", "rule")) == {(10, old.pk)}
    assert set(LedgerEntry.objects.filter(partnership=later).values_list("points", "rule")) == {(25, new.pk)}


def test_an_overlapping_rule_version_is_refused(world):
    clash = PointRule(event=PointRule.Event.ACTIVATED, points=25, effective_from=d(6, 1))

    with pytest.raises(ValidationError, match="end it first"):
        clash.full_clean()


def test_an_event_on_no_rules_day_earns_nothing(world):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, d(3, 1, year=2019))

    assert points.points_award_activation(partnership=partnership) == []


def test_a_withdrawn_story_and_a_lesson_taken_down_are_reversed_not_deleted(world):
    partnership = full_history(world)
    ledger_reconcile()
    earned = LedgerEntry.objects.count()

    Story.objects.filter(partnership=partnership).update(published_at=None)
    Lesson.objects.filter(partnership=partnership).update(state=Lesson.State.DRAFT, published_at=None)
    run = ledger_reconcile(today=d(12, 20))
    ledger_reconcile(today=d(12, 21))

    reversals = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).select_related("reverses", "rule")
    assert run.reversed == 3
    assert sorted((r.rule.event, r.section_id, r.points) for r in reversals) == sorted([
        ("lesson-published", world.a.pk, -3), ("story-published", world.a.pk, -5), ("story-published", world.b.pk, -5),
    ])
    assert all(r.reverses.points == -r.points and r.award_year == 2026 for r in reversals)
    assert LedgerEntry.objects.count() == earned + 3  # nothing deleted, reversed once
    assert total(world.a) == 70 and total(world.b) == 68


def test_an_evaluation_reopened_by_an_edit_keeps_its_points(world):
    partnership = full_history(world)
    ledger_reconcile()
    before = ledger()

    Evaluation.objects.filter(partnership=partnership).update(final_at=None)
    run = ledger_reconcile()

    assert run.reversed == 0 and ledger() == before


def test_a_partnership_ended_early_keeps_its_activation_points_and_earns_no_completion(world):
    partnership = records.partnership_of(world.a, world.b, forms=("growing-section",))
    records.move(partnership, Status.ACTIVE, d(1, 5))
    ledger_reconcile()
    records.move(partnership, Status.ENDED, d(3, 1))

    points.points_award_completion(partnership=partnership)
    run = ledger_reconcile()

    assert run.filled == run.reversed == 0
    assert set(LedgerEntry.objects.values_list("rule__event", "points", "kind")) == {("activated", 10, "earned")}


def test_a_rule_for_the_owner_pays_only_the_section_whose_record_it_is(world):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, d(1, 5))
    checkin = records.checkin(partnership, world.b, d(4, 1))

    points.points_award_checkin(checkin=checkin)

    assert list(LedgerEntry.objects.values_list("section", "points")) == [(world.b.pk, 2)]


def test_an_admin_adjusts_with_a_reason_and_the_entry_says_it_is_an_adjustment(world):
    entry = points.ledger_adjust(section=world.a, points=-4, reason="Counted a check-in twice by hand.",
                                 actor=world.staff, award_year=2026)

    assert entry.kind == LedgerEntry.Kind.ADJUSTMENT and entry.get_kind_display() == "Adjusted by an admin"
    assert entry.created_by == world.staff and total(world.a) == -4


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_adjustment_without_a_reason_is_refused(world, reason):
    with pytest.raises(ValidationError) as error:
        points.ledger_adjust(section=world.a, points=5, reason=reason, actor=world.staff, award_year=2026)

    assert "reason" in error.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_only_a_society_admin_adjusts(world):
    with pytest.raises(PermissionDenied):
        points.ledger_adjust(section=world.a, points=5, reason="Because.", actor=world.officer_a, award_year=2026)


def test_a_ledger_entry_is_never_changed_or_deleted(world):
    entry = points.ledger_adjust(section=world.a, points=5, reason="Because.", actor=world.staff, award_year=2026)

    entry.points = 500
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    with pytest.raises(ValueError, match="never changed"):
        LedgerEntry.objects.filter(pk=entry.pk).update(points=500)
    with pytest.raises(ValueError, match="never deleted"):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().points == 5


def test_months_between_counts_whole_months():
    assert points.months_between(d(1, 31), d(3, 30)) == 1
    assert points.months_between(d(1, 1), d(1, 1, year=2027)) == 12
    assert points.months_between(d(5, 1), d(1, 1)) == 0



def test_the_reconciliation_reads_each_kind_of_event_at_once_however_many_records(world, django_assert_num_queries):
    def history_with_a_withdrawn_story():
        partnership = full_history(world)
        points.points_award_story(story=Story.objects.get(partnership=partnership))
        Story.objects.filter(partnership=partnership).update(published_at=None)

    ledger_reconcile()  # once on nothing: what is cached for the process (content types) is
    history_with_a_withdrawn_story()
    with django_assert_num_queries(20):
        assert ledger_reconcile().filled == 12
    for _ in range(4):
        history_with_a_withdrawn_story()
    with django_assert_num_queries(20):
        run = ledger_reconcile()
    assert run.filled == 4 * 12 and run.reversed == 4 * 2
