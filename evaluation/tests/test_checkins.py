"""The reporting schedule and the check-in services: periods made from the activation at the
partnership's cadence, paused by a suspension and stopped by completion; each side's
check-in saved as a draft, submitted (late judged in the section's own time zone), then
read-only and corrected only by a recorded amendment. Refusals change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import CheckIn, ReportingPeriod
from evaluation.services.checkins import Progress, checkin_amend, checkin_save, schedule_extend
from partnerships import services
from partnerships.models import Indicator, Partnership
from partnerships.tests.conftest import World, endorsed, make_ready
from sections.tests.factories import OfficerFactory

from .checkin_helpers import ACTIVATED, FIRST_DUE, FIRST_END, activate, at, checkin_of, spans, stored
from .closing_helpers import complete

pytestmark = pytest.mark.django_db

@pytest.fixture
def running(world) -> Partnership:
    """Active since 15 January 2026, its first quarter made."""
    partnership = activate(world)
    schedule_extend(partnership=partnership, today=ACTIVATED)
    return partnership


def add_indicator(world: World, partnership: Partnership, name: str = "Students exchanged") -> Indicator:
    objective = partnership.objectives.first()
    return services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=Indicator(objective=objective, name=name, unit="students", baseline=Decimal("0"),
                       target=Decimal("10"), target_date=datetime.date(2026, 12, 31)),
    )


# The schedule ------------------------------------------------------------------------------------


def test_quarterly_schedule_runs_from_activation_with_a_checkin_per_side(world):
    partnership = activate(world)
    assert partnership.cadence == Partnership.Cadence.QUARTERLY
    assert partnership.schedule_from == ACTIVATED

    schedule_extend(partnership=partnership, today=datetime.date(2026, 7, 20))

    assert spans(partnership) == [
        (ACTIVATED, FIRST_END, FIRST_DUE),
        (datetime.date(2026, 4, 15), datetime.date(2026, 7, 14), datetime.date(2026, 8, 13)),
        (datetime.date(2026, 7, 15), datetime.date(2026, 10, 14), datetime.date(2026, 11, 13)),
    ]
    for number in range(3):
        sides = CheckIn.objects.filter(period__partnership=partnership, period__number=number)
        assert sorted(sides.values_list("section__name", "state", "due_on")) == sorted(
            (section.name, CheckIn.State.DRAFT, spans(partnership)[number][2]) for section in (world.a, world.b)
        )


def test_extending_again_makes_nothing_twice(world):
    partnership = activate(world)
    schedule_extend(partnership=partnership, today=datetime.date(2026, 7, 20))

    assert schedule_extend(partnership=partnership, today=datetime.date(2026, 7, 20)) == []
    assert (ReportingPeriod.objects.count(), CheckIn.objects.count()) == (3, 6)


def test_activation_takes_the_chosen_cadence(world):
    partnership = activate(world, cadence=Partnership.Cadence.HALF_YEARLY)
    schedule_extend(partnership=partnership, today=datetime.date(2026, 7, 20))

    assert partnership.cadence == Partnership.Cadence.HALF_YEARLY
    assert spans(partnership) == [
        (ACTIVATED, datetime.date(2026, 7, 14), datetime.date(2026, 8, 13)),
        (datetime.date(2026, 7, 15), datetime.date(2027, 1, 14), datetime.date(2027, 2, 13)),
    ]


def test_activation_refuses_a_cadence_that_is_not_offered(world):
    partnership = make_ready(world, endorsed(world))
    with pytest.raises(ValidationError) as refused:
        services.partnership_activate(partnership=partnership, actor=world.officer_a, cadence=2)
    assert "cadence" in refused.value.error_dict
    partnership.refresh_from_db()
    assert (partnership.status, partnership.cadence) == ("endorsed", Partnership.Cadence.QUARTERLY)


def test_suspension_pauses_the_schedule_and_resumption_restarts_it_from_the_resume_date(world, running):
    with time_machine.travel(at(datetime.date(2026, 2, 10)), tick=False):
        services.partnership_suspend(partnership=running, actor=world.officer_a, reason="Elections")

    running.refresh_from_db()
    assert schedule_extend(partnership=running, today=datetime.date(2026, 6, 1)) == []

    resumed = datetime.date(2026, 6, 10)
    with time_machine.travel(at(resumed), tick=False):
        services.partnership_resume(partnership=running, actor=world.officer_b)
    running.refresh_from_db()
    schedule_extend(partnership=running, today=datetime.date(2026, 9, 20))

    assert spans(running) == [
        # Interrupted on 10 February: its report is due 120 days (the pause) later.
        (ACTIVATED, FIRST_END, FIRST_DUE + datetime.timedelta(days=120)),
        (resumed, datetime.date(2026, 9, 9), datetime.date(2026, 10, 9)),
        (datetime.date(2026, 9, 10), datetime.date(2026, 12, 9), datetime.date(2027, 1, 8)),
    ]


def test_completion_stops_the_schedule(world, running):
    with time_machine.travel(at(datetime.date(2026, 3, 1)), tick=False):
        complete(world, running)
    running.refresh_from_db()

    assert schedule_extend(partnership=running, today=datetime.date(2027, 1, 1)) == []
    assert spans(running) == [(ACTIVATED, FIRST_END, FIRST_DUE)]


def test_a_cadence_change_applies_to_the_periods_made_after_it(world, running):
    services.cadence_change(partnership=running, actor=world.officer_b, cadence=Partnership.Cadence.MONTHLY)
    running.refresh_from_db()
    schedule_extend(partnership=running, today=datetime.date(2026, 5, 20))

    assert spans(running) == [
        (ACTIVATED, FIRST_END, FIRST_DUE),  # made before the change: kept
        (datetime.date(2026, 4, 15), datetime.date(2026, 5, 14), datetime.date(2026, 6, 13)),
        (datetime.date(2026, 5, 15), datetime.date(2026, 6, 14), datetime.date(2026, 7, 14)),
    ]


@pytest.mark.parametrize("who", ["coordinator_a", "staff", "outsider"])
def test_only_officers_of_a_participating_section_change_the_cadence(world, running, who):
    with pytest.raises(PermissionDenied):
        services.cadence_change(partnership=running, actor=getattr(world, who), cadence=Partnership.Cadence.MONTHLY)
    running.refresh_from_db()
    assert running.cadence == Partnership.Cadence.QUARTERLY


def test_a_cadence_that_is_not_offered_is_refused(world, running):
    with pytest.raises(ValidationError):
        services.cadence_change(partnership=running, actor=world.officer_a, cadence=4)
    running.refresh_from_db()
    assert running.cadence == Partnership.Cadence.QUARTERLY


# Filling a check-in ------------------------------------------------------------------------------


def test_a_draft_is_saved_then_submitted(world, running):
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"done": "Two joint webinars", "received_rating": 4})
        checkin.refresh_from_db()
        assert (checkin.state, checkin.done, checkin.received_rating, checkin.submitted_at) == (
            CheckIn.State.DRAFT, "Two joint webinars", 4, None,
        )

        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": CheckIn.Overall.ON_TRACK}, submit=True)

    checkin.refresh_from_db()
    assert checkin.state == CheckIn.State.SUBMITTED
    assert checkin.done == "Two joint webinars"  # the draft's text stays
    assert (checkin.submitted_by, checkin.submitted_at, checkin.late) == (world.officer_a, at(datetime.date(2026, 4, 20)), False)


def test_submitting_needs_the_overall_status(world, running):
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False), pytest.raises(ValidationError) as refused:
        checkin_save(checkin=checkin, actor=world.officer_a, data={"done": "Webinars"}, submit=True)
    assert "overall" in refused.value.error_dict
    assert stored(checkin) == before


@pytest.mark.parametrize(
    ("time_zone", "moment", "late"),
    [
        # 13:00 UTC on the due date is already the next day in Auckland (UTC+12).
        ("Pacific/Auckland", datetime.datetime(2026, 5, 14, 13, 0, tzinfo=datetime.UTC), True),
        ("Pacific/Auckland", datetime.datetime(2026, 5, 14, 11, 0, tzinfo=datetime.UTC), False),
        # 05:00 UTC the day after is still the due date in Honolulu (UTC-10).
        ("Pacific/Honolulu", datetime.datetime(2026, 5, 15, 5, 0, tzinfo=datetime.UTC), False),
        ("Pacific/Honolulu", datetime.datetime(2026, 5, 15, 10, 30, tzinfo=datetime.UTC), True),
    ],
)
def test_late_is_judged_by_the_sections_own_date(world, running, time_zone, moment, late):
    world.a.time_zone = time_zone
    world.a.save(update_fields=["time_zone"])
    checkin = checkin_of(running, world.a)
    assert checkin.due_on == FIRST_DUE

    with time_machine.travel(moment, tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": CheckIn.Overall.AT_RISK}, submit=True)

    checkin.refresh_from_db()
    assert (checkin.state, checkin.late) == (CheckIn.State.SUBMITTED, late)


def test_a_submitted_checkin_is_read_only_and_a_second_submission_is_refused(world, running):
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": CheckIn.Overall.ON_TRACK, "done": "Webinars"},
                     submit=True)
    before = stored(checkin)

    with time_machine.travel(at(datetime.date(2026, 4, 21)), tick=False):
        for submit in (True, False):
            with pytest.raises(ValidationError, match="submitted already"):
                checkin_save(checkin=checkin, actor=world.officer_a,
                             data={"overall": CheckIn.Overall.OFF_TRACK, "done": "Nothing"}, submit=submit)

    assert stored(checkin) == before


def test_an_amendment_records_what_changed_who_and_why(world, running):
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, submit=True,
                     data={"overall": CheckIn.Overall.ON_TRACK, "communication_rating": 4, "done": "Webinars"})

    amendment = checkin_amend(
        checkin=checkin, actor=world.officer_a, reason="The partner cancelled a call we had counted.",
        data={"overall": CheckIn.Overall.AT_RISK, "communication_rating": 2, "done": "Webinars"},
    )

    assert amendment.amended_by == world.officer_a
    assert amendment.reason == "The partner cancelled a call we had counted."
    assert amendment.changes == {
        "overall": {"from": "on-track", "to": "at-risk"},
        "communication_rating": {"from": 4, "to": 2},
    }
    checkin.refresh_from_db()
    assert (checkin.overall, checkin.communication_rating, checkin.state) == ("at-risk", 2, CheckIn.State.SUBMITTED)


@pytest.mark.parametrize(
    ("who", "data", "reason", "refusal"),
    [
        ("officer_a", {"overall": "on-track"}, "Nothing really", ValidationError),  # nothing changed
        ("officer_a", {"overall": "off-track"}, "  ", ValidationError),  # no reason
        ("officer_b", {"overall": "off-track"}, "The other side disagrees", PermissionDenied),
        ("coordinator_a", {"overall": "off-track"}, "Coordinator's view", PermissionDenied),
    ],
)
def test_a_refused_amendment_changes_nothing(world, running, who, data, reason, refusal):
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, submit=True)
    before = stored(checkin)

    with pytest.raises(refusal):
        checkin_amend(checkin=checkin, actor=getattr(world, who), data=data, reason=reason)

    assert stored(checkin) == before


def test_a_draft_cannot_be_amended(world, running):
    checkin = checkin_of(running, world.a)
    with pytest.raises(ValidationError, match="Only a submitted check-in"):
        checkin_amend(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, reason="Early")


def test_indicator_actuals_build_the_indicators_history(world, running):
    indicator = add_indicator(world, running)
    schedule_extend(partnership=running, today=datetime.date(2026, 7, 20))
    for number, day, value in [(0, datetime.date(2026, 4, 20), "3"), (1, datetime.date(2026, 7, 16), "7.5")]:
        with time_machine.travel(at(day), tick=False):
            checkin_save(checkin=checkin_of(running, world.a, number), actor=world.officer_a, submit=True,
                         data={"overall": "on-track"}, actuals={indicator.pk: Decimal(value)})

    # Each value is dated by the end of the period it describes, not by the day it was saved.
    history = list(indicator.actuals.values_list("checkin__period__number", "measured_on", "value"))
    assert history == [
        (0, FIRST_END, Decimal("3.00")),
        (1, datetime.date(2026, 7, 14), Decimal("7.50")),
    ]


def test_a_drafts_indicator_value_can_be_changed_and_cleared(world, running):
    indicator = add_indicator(world, running)
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={}, actuals={indicator.pk: Decimal("2")})
        checkin_save(checkin=checkin, actor=world.officer_a, data={}, actuals={indicator.pk: Decimal("4")})
        assert list(indicator.actuals.values_list("value", flat=True)) == [Decimal("4.00")]
        checkin_save(checkin=checkin, actor=world.officer_a, data={}, actuals={indicator.pk: None})
    assert not indicator.actuals.exists()


def test_activity_progress_is_saved_with_the_checkin(world, running):
    activity = running.activities.get()
    checkin = checkin_of(running, world.a)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, submit=True,
                     progress={activity.pk: Progress("in-progress", "Hosts found for six students")})

    assert list(checkin.progress.values_list("activity__title", "status", "note")) == [
        ("Summer exchange", "in-progress", "Hosts found for six students"),
    ]


def test_a_period_that_has_not_ended_is_refused(world, running):
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(datetime.date(2026, 3, 1)), tick=False):
        with pytest.raises(ValidationError, match="This period runs until 14 Apr 2026; its check-in opens then."):
            checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, submit=True)
    assert stored(checkin) == before


@pytest.mark.parametrize("who", ["officer_b", "coordinator_a", "staff", "non_participant_officer"])
def test_only_the_sections_own_officers_fill_its_checkin(world, running, who):
    actor = OfficerFactory().user if who == "non_participant_officer" else getattr(world, who)
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False), pytest.raises(PermissionDenied):
        checkin_save(checkin=checkin, actor=actor, data={"overall": "off-track"}, submit=True)
    assert stored(checkin) == before


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_a_field_error(world, running, rating):
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(datetime.date(2026, 4, 20)), tick=False), pytest.raises(ValidationError) as refused:
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track", "received_rating": rating},
                     submit=True)
    assert set(refused.value.error_dict) == {"received_rating"}
    assert stored(checkin) == before
