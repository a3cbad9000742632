"""The reporting schedule (evaluation.services.checkins): a suspension pauses the period it
interrupts, periods are counted from the anchor so they do not drift, a cadence change
re-anchors the schedule, indicator actuals are dated by their period, and a closed
partnership's check-ins can no longer be filled in."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import CheckIn, MonitoringSettings, Reminder, ReportingPeriod
from evaluation.services.checkins import checkin_save, schedule_extend, periods_make_due
from evaluation.services.reminders import send_due_reminders
from partnerships import services
from partnerships.models import Indicator, Partnership, Status, Transition
from partnerships.tests.conftest import endorsed, make_ready

from .checkin_helpers import activate, at, checkin_of, spans, stored
from .closing_helpers import complete
from .monitoring import d, other_world

pytestmark = pytest.mark.django_db

def suspend(world, partnership: Partnership, on: datetime.date) -> None:
    with time_machine.travel(at(on), tick=False):
        services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Elections")
    partnership.refresh_from_db()


def resume(world, partnership: Partnership, on: datetime.date) -> None:
    with time_machine.travel(at(on), tick=False):
        services.partnership_resume(partnership=partnership, actor=world.officer_b)
    partnership.refresh_from_db()


# 1. A suspension pauses the period it interrupts ------------------------------------------------


def test_resumption_moves_the_interrupted_reports_due_date_by_the_pause_and_nobody_is_escalated(world):
    partnership = activate(world, d(1, 1))
    schedule_extend(partnership=partnership, today=d(1, 1))
    assert spans(partnership) == [(d(1, 1), d(3, 31), d(4, 30))]

    suspend(world, partnership, d(2, 1))
    resume(world, partnership, d(7, 1))

    due = d(4, 30) + datetime.timedelta(days=150)  # 1 February → 1 July
    assert due == d(9, 27)
    assert ReportingPeriod.objects.get(partnership=partnership, number=0).due_on == due
    assert [checkin_of(partnership, side).due_on for side in (world.a, world.b)] == [due, due]

    with time_machine.travel(at(d(7, 1)), tick=False):
        send_due_reminders()
    assert not Reminder.objects.filter(kind=Reminder.Kind.ESCALATION).exists()
    assert not Reminder.objects.filter(checkin__period__number=0).exists()
    # The schedule restarts from the resumption.
    assert spans(partnership)[1:] == [(d(7, 1), d(9, 30), d(10, 30))]


def test_resumption_moves_only_open_checkins_due_on_or_after_the_suspension(world):
    partnership = activate(world, d(1, 1))
    schedule_extend(partnership=partnership, today=d(4, 1))  # Q1 (due 30 April) and Q2 (due 30 July)
    with time_machine.travel(at(d(4, 10)), tick=False):
        checkin_save(checkin=checkin_of(partnership, world.a, 0), actor=world.officer_a,
                     data={"overall": "on-track"}, submit=True)

    suspend(world, partnership, d(5, 20))
    resume(world, partnership, d(6, 19))  # 30 days

    assert sorted(CheckIn.objects.filter(period__partnership=partnership)
                  .values_list("period__number", "section__name", "due_on")) == [
        (0, "Alpha Section", d(4, 30)),  # submitted: kept
        (0, "Beta Section", d(4, 30)),  # due before the suspension: kept
        (1, "Alpha Section", d(8, 29)),
        (1, "Beta Section", d(8, 29)),
    ]
    assert [due for _start, _end, due in spans(partnership)[:2]] == [d(4, 30), d(8, 29)]


def test_resumption_inside_the_interrupted_period_does_not_overlap_it(world):
    partnership = activate(world, d(1, 15))
    schedule_extend(partnership=partnership, today=d(1, 15))
    suspend(world, partnership, d(2, 10))
    resume(world, partnership, d(3, 1))  # 19 days, before the first period ends on 14 April

    schedule_extend(partnership=partnership, today=d(6, 20))

    assert spans(partnership) == [
        (d(1, 15), d(4, 14), d(5, 14) + datetime.timedelta(days=19)),
        (d(4, 15), d(5, 31), d(6, 30)),  # the rest of the quarter counted from 1 March
        (d(6, 1), d(8, 31), d(9, 30)),
    ]


# 2. No drift ------------------------------------------------------------------------------------


def test_monthly_periods_start_on_the_anchors_day_whenever_the_month_has_it(world):
    partnership = activate(world, d(1, 31), cadence=Partnership.Cadence.MONTHLY)
    schedule_extend(partnership=partnership, today=d(6, 1))

    assert [(start, end) for start, end, _due in spans(partnership)] == [
        (d(1, 31), d(2, 27)),
        (d(2, 28), d(3, 30)),
        (d(3, 31), d(4, 29)),
        (d(4, 30), d(5, 30)),
        (d(5, 31), d(6, 29)),  # June has no 31st: the next period starts on its last day
    ]


def test_extending_day_by_day_makes_the_same_periods_as_at_once(world):
    partnership = activate(world, d(1, 31), cadence=Partnership.Cadence.MONTHLY)
    day = d(1, 31)
    while day <= d(8, 1):
        schedule_extend(partnership=partnership, today=day)
        day += datetime.timedelta(days=1)
    by_day = spans(partnership)

    ReportingPeriod.objects.all().delete()
    schedule_extend(partnership=partnership, today=d(8, 1))
    assert spans(partnership) == by_day
    assert by_day[-1][:2] == (d(7, 31), d(8, 30))


def test_extending_many_partnerships_takes_a_fixed_number_of_queries(world):
    settings = MonitoringSettings.current()
    first = activate(world, d(1, 31), cadence=Partnership.Cadence.MONTHLY)
    with CaptureQueriesContext(connection) as one:
        periods_make_due(partnerships=Partnership.objects.filter(pk=first.pk), today=d(3, 1), settings=settings)

    second = activate(other_world(), d(1, 31), cadence=Partnership.Cadence.MONTHLY)
    with CaptureQueriesContext(connection) as two:
        made = periods_make_due(partnerships=Partnership.objects.filter(pk__in=[first.pk, second.pk]), today=d(6, 1), settings=settings)

    # Each partnership's first period was made when it was activated.
    assert made == 3 + 4
    assert len(two) == len(one)


def test_a_cadence_change_anchors_the_schedule_after_the_last_period(world):
    partnership = activate(world, d(1, 31))
    schedule_extend(partnership=partnership, today=d(1, 31))
    assert spans(partnership) == [(d(1, 31), d(4, 29), d(5, 29))]

    services.cadence_change(partnership=partnership, actor=world.officer_b, cadence=Partnership.Cadence.MONTHLY)
    partnership.refresh_from_db()
    assert (partnership.cadence, partnership.schedule_from) == (Partnership.Cadence.MONTHLY, d(4, 30))

    schedule_extend(partnership=partnership, today=d(6, 1))
    assert [(start, end) for start, end, _due in spans(partnership)] == [
        (d(1, 31), d(4, 29)),
        (d(4, 30), d(5, 29)),
        (d(5, 30), d(6, 29)),
    ]


def test_a_cadence_chosen_before_activation_runs_from_the_activation(world):
    partnership = make_ready(world, endorsed(world))
    services.cadence_change(partnership=partnership, actor=world.officer_a, cadence=Partnership.Cadence.MONTHLY)
    with time_machine.travel(at(d(1, 15)), tick=False):
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
    partnership.refresh_from_db()
    assert (partnership.cadence, partnership.schedule_from) == (Partnership.Cadence.MONTHLY, d(1, 15))
    assert [(start, end) for start, end, _due in spans(partnership)] == [(d(1, 15), d(2, 14))]


# 3. Indicator actuals are dated by their period -------------------------------------------------


def test_an_actual_is_measured_on_the_periods_end_not_the_day_of_the_draft(world):
    partnership = activate(world, d(1, 15))
    schedule_extend(partnership=partnership, today=d(1, 15))
    indicator = services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=Indicator(objective=partnership.objectives.first(), name="Students", unit="students",
                       baseline=Decimal("0"), target=Decimal("10"), target_date=d(12, 31)),
    )
    checkin = checkin_of(partnership, world.a)
    for day, value in [(d(4, 20), "2"), (d(5, 2), "4")]:
        with time_machine.travel(at(day), tick=False):
            checkin_save(checkin=checkin, actor=world.officer_a, data={}, actuals={indicator.pk: Decimal(value)})

    assert list(indicator.actuals.values_list("measured_on", "value")) == [(d(4, 14), Decimal("4.00"))]


# 4. Only a running partnership's check-ins are filled in ----------------------------------------


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.ENDED, Status.DECLINED, Status.WITHDRAWN])
@pytest.mark.parametrize("submit", [False, True])
def test_a_closed_partnerships_checkin_is_refused(world, status, submit):
    partnership = activate(world, d(1, 15))
    schedule_extend(partnership=partnership, today=d(1, 15))
    Partnership.objects.filter(pk=partnership.pk).update(
        status=status, end_reason="Funding stopped" if status == Status.ENDED else ""
    )
    checkin = checkin_of(partnership, world.a)
    before = stored(checkin)

    label = Partnership(status=status).get_status_display().lower()
    with time_machine.travel(at(d(4, 20)), tick=False), pytest.raises(
        ValidationError, match=f"This partnership is {label}; its check-ins can no longer be filled in."
    ):
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, submit=submit)
    assert stored(checkin) == before


def test_a_completed_partnerships_checkin_is_refused_through_the_service(world):
    partnership = activate(world, d(1, 15))
    schedule_extend(partnership=partnership, today=d(1, 15))
    with time_machine.travel(at(d(4, 20)), tick=False):
        complete(world, partnership)
        with pytest.raises(ValidationError, match="completed; its check-ins can no longer be filled in"):
            checkin_save(checkin=checkin_of(partnership, world.a), actor=world.officer_a,
                         data={"overall": "on-track"}, submit=True)


def test_a_suspended_partnership_still_reports_on_a_period_that_ended_before_the_pause(world):
    partnership = activate(world, d(1, 15))
    schedule_extend(partnership=partnership, today=d(1, 15))
    suspend(world, partnership, d(4, 20))

    with time_machine.travel(at(d(4, 25)), tick=False):
        checkin_save(checkin=checkin_of(partnership, world.a), actor=world.officer_a,
                     data={"overall": "at-risk"}, submit=True)

    assert checkin_of(partnership, world.a).state == CheckIn.State.SUBMITTED
