"""Monitoring that stays true: a submitted check-in moves the plan's activities (status and
% complete, in the plan's history naming the check-in), only for the section that carries
each out and only from its latest report; amendments correct progress and indicator values,
recorded and moving the plan the same way; the check-in page shows the plan's warnings;
hostile percentages are field errors."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from evaluation.models import ActivityProgress, CheckInAmendment, IndicatorActual
from evaluation.services.checkins import Progress, checkin_amend, checkin_save, schedule_extend
from partnerships import services
from partnerships.models import Activity, FundingLine, Indicator, Partnership

from . import monitoring
from .checkin_helpers import activate, at, checkin_of, stored
from .test_checkin_views import errors_of, fields, url

pytestmark = pytest.mark.django_db

REPORTING_DAY = datetime.date(2026, 4, 20)  # the first quarter (15 Jan – 14 Apr) has ended
SECOND_REPORTING_DAY = datetime.date(2026, 7, 20)  # and the second (15 Apr – 14 Jul)


@pytest.fixture
def running(world) -> Partnership:
    """Active since 15 January 2026; its one activity, Summer exchange, is Alpha's."""
    partnership = activate(world)
    services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=Indicator(objective=partnership.objectives.first(), name="Students exchanged", unit="students",
                       target=Decimal("10"), target_date=datetime.date(2026, 12, 31)),
    )
    schedule_extend(partnership=partnership, today=SECOND_REPORTING_DAY)
    return partnership


@pytest.fixture
def on_reporting_day():
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        yield


def submit(partnership, section, actor, progress, *, number=0, actuals=None, day=REPORTING_DAY):
    with time_machine.travel(at(day), tick=False):
        return checkin_save(
            checkin=checkin_of(partnership, section, number), actor=actor, data={"overall": "on-track"},
            progress=progress, actuals=actuals or {}, submit=True,
        )


def plan_item(partnership: Partnership) -> Activity:
    return Activity.objects.get(partnership=partnership)


# A submission moves the plan ----------------------------------------------------------------


def test_a_submitted_checkin_moves_its_activity_and_the_history_names_the_checkin(world, running):
    activity = plan_item(running)

    checkin = submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "Hosts found", 40)})

    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete) == ("in-progress", 40)
    latest = activity.history.first()
    assert latest.history_change_reason == f"From the check-in of Alpha Section for {checkin.period}"
    assert latest.history_user == world.officer_a


def test_the_partnership_page_shows_the_percent_and_the_history_names_the_checkin(client, world, running):
    activity = plan_item(running)
    checkin = submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "", 40)})

    with time_machine.travel(at(REPORTING_DAY), tick=False):
        client.force_login(world.officer_b)
        page = client.get(running.get_absolute_url()).content.decode()

    assert 'aria-label="Summer exchange: % complete" aria-valuenow="40"' in page
    assert "40 %</span>" in page
    assert f"Changed Activity: Summer exchange — From the check-in of Alpha Section for {checkin.period}" in page


def test_a_draft_leaves_the_plan_alone(world, running):
    activity = plan_item(running)
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        checkin_save(checkin=checkin_of(running, world.a), actor=world.officer_a, data={},
                     progress={activity.pk: Progress("done", "", 100)})
    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete, activity.history.count()) == ("planned", 0, 1)


def test_a_done_activity_without_a_percent_is_complete(world, running):
    activity = plan_item(running)
    submit(running, world.a, world.officer_a, {activity.pk: Progress("done")})
    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete) == ("done", 100)


def test_the_partners_report_on_an_activity_it_does_not_carry_out_is_kept_but_does_not_move_it(world, running):
    activity = plan_item(running)

    checkin = submit(running, world.b, world.officer_b, {activity.pk: Progress("cancelled", "Looks dead to us", 0)})

    activity.refresh_from_db()
    assert (activity.status, activity.history.count()) == ("planned", 1)
    assert list(ActivityProgress.objects.filter(checkin=checkin).values_list("status", "note")) == [
        ("cancelled", "Looks dead to us"),
    ]


def test_a_late_report_on_an_earlier_period_does_not_undo_a_later_one(world, running):
    activity = plan_item(running)
    submit(running, world.a, world.officer_a, {activity.pk: Progress("done", "", 100)},
           number=1, day=SECOND_REPORTING_DAY)

    submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "", 30)},
           number=0, day=SECOND_REPORTING_DAY)

    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete) == ("done", 100)


def test_an_activity_reported_cancelled_no_longer_shows_planned(client, world, running):
    activity = plan_item(running)
    submit(running, world.a, world.officer_a, {activity.pk: Progress("cancelled", "No hosts", 10)})

    with time_machine.travel(at(SECOND_REPORTING_DAY), tick=False):
        client.force_login(world.officer_a)
        plan = client.get(running.get_absolute_url()).content.decode()
        next_form = client.get(url(checkin_of(running, world.a, 1))).content.decode()

    row = re.search(r"<tr><td><a [^>]*>Summer exchange</a>.*?</tr>", plan, re.S).group(0)
    assert "Cancelled" in row and "Planned" not in row
    select = re.search(rf'<select name="activity_{activity.pk}".*?</select>', next_form, re.S).group(0)
    assert re.search(r'<option value="cancelled" selected>', select)
    assert "On the plan now: Cancelled, 10% complete." in next_form


def test_a_percent_out_of_range_is_refused_and_nothing_is_saved(world, running):
    activity = plan_item(running)
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(REPORTING_DAY), tick=False), pytest.raises(ValidationError) as refused:
        checkin_save(checkin=checkin, actor=world.officer_a, data={"overall": "on-track"}, submit=True,
                     progress={activity.pk: Progress("in-progress", "", 101)})
    assert set(refused.value.error_dict) == {f"activity_{activity.pk}_percent"}
    assert stored(checkin) == before


def test_an_activity_of_another_plan_is_refused(world, running):
    stranger = plan_item(monitoring.activate(monitoring.other_world(), datetime.date(2026, 1, 15)))
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    with time_machine.travel(at(REPORTING_DAY), tick=False), pytest.raises(ValidationError, match="not in this"):
        checkin_save(checkin=checkin, actor=world.officer_a, data={}, progress={stranger.pk: Progress("done")})
    assert stored(checkin) == before
    assert plan_item(running).status == "planned"


# Amendments ----------------------------------------------------------------------------------


def test_an_amendment_corrects_progress_and_actuals_and_moves_the_plan(world, running):
    activity = plan_item(running)
    indicator = running.indicators.get()
    checkin = submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "Hosts found", 40)},
                     actuals={indicator.pk: Decimal("3")})

    amendment = checkin_amend(
        checkin=checkin, actor=world.officer_a, data={}, reason="We had miscounted",
        progress={activity.pk: Progress("done", "Hosts found", 100)}, actuals={indicator.pk: Decimal("4.5")},
    )

    assert amendment.changes == {
        "progress": [
            {"activity": activity.pk, "title": "Summer exchange", "field": "status", "from": "in-progress", "to": "done"},
            {"activity": activity.pk, "title": "Summer exchange", "field": "percent", "from": 40, "to": 100},
        ],
        "actuals": [{"indicator": indicator.pk, "name": "Students exchanged", "from": "3", "to": "4.5"}],
    }
    assert list(IndicatorActual.objects.filter(checkin=checkin).values_list("value", flat=True)) == [Decimal("4.50")]
    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete) == ("done", 100)
    latest = activity.history.first()
    assert latest.history_change_reason == f"From an amendment to the check-in of Alpha Section for {checkin.period}"
    assert latest.history_user == world.officer_a


def test_an_amendment_can_clear_an_indicator_value(world, running):
    indicator = running.indicators.get()
    checkin = submit(running, world.a, world.officer_a, {}, actuals={indicator.pk: Decimal("3")})

    amendment = checkin_amend(checkin=checkin, actor=world.officer_a, data={}, reason="Not measured after all",
                              actuals={indicator.pk: None})

    assert amendment.changes["actuals"] == [
        {"indicator": indicator.pk, "name": "Students exchanged", "from": "3", "to": None},
    ]
    assert not IndicatorActual.objects.filter(checkin=checkin).exists()


def test_an_amendment_repeating_the_report_is_refused_and_changes_nothing(world, running):
    activity = plan_item(running)
    indicator = running.indicators.get()
    checkin = submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "Hosts found", 40)},
                     actuals={indicator.pk: Decimal("3")})
    before = stored(checkin)

    with pytest.raises(ValidationError, match="Nothing was changed"):
        checkin_amend(checkin=checkin, actor=world.officer_a, data={}, reason="Just checking",
                      progress={activity.pk: Progress("in-progress", "Hosts found", 40)},
                      actuals={indicator.pk: Decimal("3.00")})

    assert stored(checkin) == before


def test_the_partners_amendment_does_not_move_the_plan(world, running):
    activity = plan_item(running)
    checkin = submit(running, world.b, world.officer_b, {activity.pk: Progress("in-progress", "", 20)})

    checkin_amend(checkin=checkin, actor=world.officer_b, data={}, reason="Worse than we said",
                  progress={activity.pk: Progress("cancelled", "", 20)})

    activity.refresh_from_db()
    assert activity.status == "planned"
    assert ActivityProgress.objects.get(checkin=checkin).status == "cancelled"


# The page ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("on_reporting_day")
class TestPage:
    def test_officer_reports_the_percent_and_the_plan_follows(self, client, world, running):
        activity = plan_item(running)
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        client.post(url(checkin), {**fields(running), f"activity_{activity.pk}_percent": "35", "submit": "Submit"})

        assert ActivityProgress.objects.get(checkin=checkin).percent == 35
        activity.refresh_from_db()
        assert (activity.status, activity.percent_complete) == ("in-progress", 35)
        assert "35 %" in client.get(url(checkin)).content.decode()

    @pytest.mark.parametrize("percent", ["101", "-1", "abc", "12.5", "99999999999999999999"])
    def test_a_hostile_percent_is_a_field_error_and_nothing_is_saved(self, client, world, running, percent):
        activity = plan_item(running)
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        before = stored(checkin)

        response = client.post(url(checkin), {**fields(running), f"activity_{activity.pk}_percent": percent,
                                              "submit": "Submit"})

        assert response.status_code == 200
        assert errors_of(response) == {f"activity_{activity.pk}_percent": "Give a whole number from 0 to 100."}
        assert stored(checkin) == before
        activity.refresh_from_db()
        assert activity.status == "planned"

    @pytest.mark.parametrize("percent", ["101", "-1", "abc"])
    def test_a_hostile_percent_in_an_amendment_is_a_field_error(self, client, world, running, percent):
        activity = plan_item(running)
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "submit": "Submit"})
        before = stored(checkin)

        response = client.post(url(checkin), {**fields(running), f"activity_{activity.pk}_percent": percent,
                                              "reason": "Correction", "amend": "Amend"})

        assert response.status_code == 200
        assert errors_of(response) == {f"activity_{activity.pk}_percent": "Give a whole number from 0 to 100."}
        assert stored(checkin) == before

    def test_an_amendment_of_progress_and_actuals_is_recorded_and_listed(self, client, world, running):
        activity = plan_item(running)
        indicator = running.indicators.get()
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), f"activity_{activity.pk}_percent": "40", "submit": "Submit"})

        response = client.post(url(checkin), {
            **fields(running), f"activity_{activity.pk}": "done", f"activity_{activity.pk}_percent": "100",
            f"indicator_{indicator.pk}": "5", "reason": "The exchange finished early", "amend": "Amend",
        }, follow=True)

        page = response.content.decode()
        assert "The amendment was recorded." in page
        assert "Summer exchange — status: “In progress” → “Done”" in page
        assert "Summer exchange — % complete: “40” → “100”" in page
        assert "Students exchanged — actual value: “3” → “5”" in page
        activity.refresh_from_db()
        assert (activity.status, activity.percent_complete) == ("done", 100)
        assert CheckInAmendment.objects.get(checkin=checkin).reason == "The exchange finished early"

    def test_the_checkin_page_shows_the_plans_warnings_and_saving_still_works(self, client, world, running):
        services.plan_item_save(
            partnership=running, actor=world.officer_a,
            item=FundingLine(source="Society grant", amount=Decimal("300"), status=FundingLine.Status.PENDING,
                             expected_by=datetime.date(2026, 3, 1)),
        )
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_b)

        page = client.get(url(checkin)).content.decode()

        assert "1 warning on the plan" in page
        assert "<strong>Society grant: 300.00 USD</strong>: Still pending, though a decision was expected by" in page
        client.force_login(world.officer_a)
        response = client.post(url(checkin), {**fields(running), "submit": "Submit"})
        assert response.status_code == 302
