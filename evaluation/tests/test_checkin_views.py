"""The check-in page, the cadence form, the check-ins on the partnership page and on the
officer's home: what each role sees and may do, what the database holds afterwards, and a
fixed number of queries per page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from evaluation.models import CheckIn, CheckInAmendment, IndicatorActual
from evaluation.services.checkins import Progress, checkin_amend, checkin_save, schedule_extend
from evaluation.services.reminders import send_due_reminders
from partnerships import services
from partnerships.models import Activity, Conflict, Indicator, Partnership, Status
from partnerships.tests.conftest import World, endorsed, make_ready
from partnerships.tests.test_queries import _more_plan, _queries
from sections.models import TwinningForm
from sections.tests.factories import OfficerFactory

from .checkin_helpers import ACTIVATED, activate, at, checkin_of, stored
from .closing_helpers import complete

pytestmark = pytest.mark.django_db

# The first quarter has ended (14 April); its report is due on 14 May.
REPORTING_DAY = datetime.date(2026, 4, 20)


def url(checkin: CheckIn) -> str:
    return f"/partnerships/{checkin.period.partnership_id}/check-ins/{checkin.pk}/"


@pytest.fixture
def running(world) -> Partnership:
    partnership = activate(world)
    objective = partnership.objectives.first()
    services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=Indicator(objective=objective, name="Students exchanged", unit="students", target=Decimal("10"),
                       target_date=datetime.date(2026, 12, 31)),
    )
    schedule_extend(partnership=partnership, today=REPORTING_DAY)
    return partnership


@pytest.fixture
def on_reporting_day():
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        yield


def fields(partnership: Partnership, **overrides) -> dict:
    """A complete report on the partnership's plan, as the form posts it."""
    activity = partnership.activities.get()
    indicator = partnership.indicators.get()
    data = {
        "overall": "on-track",
        "done": "Two joint webinars",
        "received_rating": "4",
        "communication_rating": "5",
        "issues": "",
        "next_steps": "Book the summer visit",
        f"activity_{activity.pk}": "in-progress",
        f"activity_{activity.pk}_note": "Hosts found",
        f"indicator_{indicator.pk}": "3",
    }
    data.update(overrides)
    return data


def errors_of(response) -> dict[str, str]:
    """The field errors on the page, by field name, as crispy renders them."""
    return dict(re.findall(r'id="error_\d+_id_(\w+)"[^>]*>\s*<strong>([^<]+)', response.content.decode()))


def shown(day: datetime.date) -> str:
    return date_format(day)


# Filling in ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("on_reporting_day")
class TestFilling:
    def test_officer_saves_a_draft_and_sees_it_again(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running, overall=""), "draft": "Save draft"})

        assert response.status_code == 302
        checkin.refresh_from_db()
        assert (checkin.state, checkin.done, checkin.received_rating) == (CheckIn.State.DRAFT, "Two joint webinars", 4)
        assert list(checkin.progress.values_list("status", "note")) == [("in-progress", "Hosts found")]
        assert list(checkin.actuals.values_list("value", flat=True)) == [Decimal("3.00")]
        page = client.get(url(checkin)).content.decode()
        assert "Two joint webinars" in page
        assert 'value="3.00"' in page or 'value="3"' in page

    def test_officer_submits_and_the_partnership_page_shows_it(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running), "submit": "Submit"}, follow=True)

        checkin.refresh_from_db()
        assert (checkin.state, checkin.submitted_by, checkin.late) == (CheckIn.State.SUBMITTED, world.officer_a, False)
        page = response.content.decode()
        assert response.redirect_chain[-1][0].endswith(f"{running.get_absolute_url()}#checkins")
        assert "The check-in was submitted." in page
        assert "Submitted on" in page
        assert 'class="indicator-chart"' in page
        # The chart's text alternative: the actual is dated by the end of the period it reports on.
        assert f"Alpha Section: {shown(checkin.period.ends_on)}: 3" in page

    def test_the_other_side_reads_a_submitted_checkin(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "submit": "Submit"})

        client.force_login(world.officer_b)
        page = client.get(url(checkin)).content.decode()

        assert "Two joint webinars" in page and "Hosts found" in page
        assert 'name="submit"' not in page and 'name="amend"' not in page

    def test_the_other_side_does_not_read_a_draft(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "draft": "Save draft"})

        client.force_login(world.officer_b)
        page = client.get(url(checkin)).content.decode()

        assert "Not submitted yet" in page
        assert "Two joint webinars" not in page

    @pytest.mark.parametrize("rating", ["0", "6", "four"])
    def test_a_rating_outside_one_to_five_is_a_field_error_and_nothing_is_saved(self, client, world, running, rating):
        checkin = checkin_of(running, world.a)
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running, received_rating=rating), "submit": "Submit"})

        assert response.status_code == 200
        assert errors_of(response) == {"received_rating": "Choose a rating from 1 to 5."}
        assert stored(checkin) == before

    def test_an_indicator_value_that_is_not_a_number_is_a_field_error_and_nothing_is_saved(self, client, world, running):
        checkin = checkin_of(running, world.a)
        indicator = running.indicators.get()
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running, **{f"indicator_{indicator.pk}": "many"}), "submit": "Submit"})

        assert response.status_code == 200
        assert errors_of(response) == {f"indicator_{indicator.pk}": "Enter a number, such as 12 or 3.5."}
        assert stored(checkin) == before

    def test_submitting_without_the_overall_status_is_a_field_error(self, client, world, running):
        checkin = checkin_of(running, world.a)
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running, overall=""), "submit": "Submit"})

        assert errors_of(response) == {"overall": "Say how the partnership is going overall."}
        assert stored(checkin) == before

    def test_issues_are_recorded_in_the_conflict_log_when_asked(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        client.post(url(checkin), {**fields(running, issues="Partner misses the monthly calls", log_conflict="on"),
                                   "submit": "Submit"})

        conflict = Conflict.objects.get(partnership=running)
        assert (conflict.raised_for, conflict.raised_by, conflict.status) == (world.a, world.officer_a, Conflict.Status.OPEN)
        assert "Partner misses the monthly calls" in conflict.description
        checkin.refresh_from_db()
        assert checkin.state == CheckIn.State.SUBMITTED

    def test_issues_stay_out_of_the_conflict_log_unless_asked(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running, issues="Slow answers"), "submit": "Submit"})
        assert not Conflict.objects.exists()

    def test_logging_issues_needs_the_issues(self, client, world, running):
        checkin = checkin_of(running, world.a)
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**fields(running, log_conflict="on"), "submit": "Submit"})

        assert errors_of(response) == {"issues": "Describe the issues to record them in the conflict log."}
        assert stored(checkin) == before and not Conflict.objects.exists()

    def test_a_second_submission_is_refused_with_a_message(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "submit": "Submit"})
        before = stored(checkin)

        response = client.post(url(checkin), {**fields(running, overall="off-track"), "submit": "Submit"}, follow=True)

        assert "This check-in was submitted already; correct it with an amendment." in response.content.decode()
        assert stored(checkin) == before

    def test_an_amendment_is_recorded_and_listed(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "submit": "Submit"})
        amend = {"overall": "at-risk", "done": "Two joint webinars", "received_rating": "4", "communication_rating": "2",
                 "issues": "", "next_steps": "Book the summer visit", "reason": "A call was cancelled", "amend": "Amend"}

        response = client.post(url(checkin), amend, follow=True)

        amendment = CheckInAmendment.objects.get(checkin=checkin)
        assert amendment.changes == {"overall": {"from": "on-track", "to": "at-risk"},
                                     "communication_rating": {"from": 5, "to": 2}}
        page = response.content.decode()
        assert "The amendment was recorded." in page
        assert "Ann Alpha" in page and "A call was cancelled" in page
        assert "Overall status: “On track” → “At risk”" in page
        assert "Communication (1–5): “5” → “2”" in page

    def test_an_amendment_without_a_reason_is_a_field_error(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {**fields(running), "submit": "Submit"})
        before = stored(checkin)

        response = client.post(url(checkin), {"overall": "off-track", "reason": "", "amend": "Amend"})

        assert errors_of(response) == {"reason": "Say why the check-in is corrected."}
        assert stored(checkin) == before


def test_a_period_that_has_not_ended_is_refused_with_the_services_message(client, world, running):
    checkin = checkin_of(running, world.a, number=1)  # 15 April – 14 July
    before = stored(checkin)
    client.force_login(world.officer_a)
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        page = client.get(url(checkin)).content.decode()
        assert "This period runs until 14 Jul 2026; its check-in opens then." in page
        assert 'name="submit"' not in page

        response = client.post(url(checkin), {**fields(running), "submit": "Submit"})

    assert "This period runs until 14 Jul 2026; its check-in opens then." in response.content.decode()
    assert stored(checkin) == before


@pytest.mark.usefixtures("on_reporting_day")
@pytest.mark.parametrize(("who", "status"), [("officer_b", 403), ("coordinator_a", 403), ("staff", 403),
                                             ("outsider_officer", 404), ("outsider", 404)])
def test_only_the_sections_officers_post_its_checkin(client, world, running, who, status):
    checkin = checkin_of(running, world.a)
    before = stored(checkin)
    client.force_login(OfficerFactory().user if who == "outsider_officer" else getattr(world, who))

    response = client.post(url(checkin), {**fields(running), "submit": "Submit"})

    assert response.status_code == status
    assert stored(checkin) == before


def test_a_checkin_is_not_found_under_another_partnership(client, world, running):
    other = services.partnership_propose(
        actor=world.officer_a, proposing_section=world.a, partner_sections=[OfficerFactory().section],
        title="Another", purpose="More", forms=TwinningForm.objects.filter(code="technical-exchange"),
        start_date=datetime.date(2026, 1, 1), planned_end_date=datetime.date(2027, 1, 1), gives={}, gains={},
    )
    client.force_login(world.officer_a)
    assert client.get(f"/partnerships/{other.pk}/check-ins/{checkin_of(running, world.a).pk}/").status_code == 404


# Cadence -------------------------------------------------------------------------------------


def test_officers_change_the_cadence_from_the_partnership_page(client, world, running):
    client.force_login(world.officer_b)
    page = client.get(running.get_absolute_url()).content.decode()
    assert f'action="/partnerships/{running.pk}/cadence/"' in page

    response = client.post(f"/partnerships/{running.pk}/cadence/", {"cadence": "1"}, follow=True)

    running.refresh_from_db()
    assert running.cadence == Partnership.Cadence.MONTHLY
    assert "Check-ins are now monthly." in response.content.decode()


def test_a_cadence_that_is_not_offered_is_refused_with_a_message(client, world, running):
    client.force_login(world.officer_a)
    response = client.post(f"/partnerships/{running.pk}/cadence/", {"cadence": "4"}, follow=True)
    assert "Choose monthly, quarterly or half-yearly." in response.content.decode()
    running.refresh_from_db()
    assert running.cadence == Partnership.Cadence.QUARTERLY


def test_the_activation_page_sets_the_cadence(client, world):
    partnership = make_ready(world, endorsed(world))
    client.force_login(world.officer_a)
    page = client.get(f"/partnerships/{partnership.pk}/do/activate/").content.decode()
    assert "How often each side reports" in page and "Half-yearly" in page

    client.post(f"/partnerships/{partnership.pk}/do/activate/", {"cadence": "6"})

    partnership.refresh_from_db()
    assert (partnership.status, partnership.cadence) == (Status.ACTIVE, Partnership.Cadence.HALF_YEARLY)


# The partnership page ------------------------------------------------------------------------


def test_the_partnership_page_shows_the_schedule_and_each_sides_state(client, world, running):
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        checkin_save(checkin=checkin_of(running, world.b), actor=world.officer_b, data={"overall": "at-risk"}, submit=True)
    client.force_login(world.officer_a)

    with time_machine.travel(at(datetime.date(2026, 5, 20)), tick=False):
        page = client.get(running.get_absolute_url()).content.decode()

    schedule = page[page.index('id="checkins"'):page.index('id="logs"')]
    assert f"{shown(ACTIVATED)} – {shown(datetime.date(2026, 4, 14))}" in schedule
    assert shown(datetime.date(2026, 5, 14)) in schedule
    assert f"{shown(datetime.date(2026, 4, 15))} – {shown(datetime.date(2026, 7, 14))}" in schedule
    assert "Overdue" in schedule  # Alpha's first check-in, due 14 May
    assert "Submitted on" in schedule and "At risk" in schedule  # Beta's
    assert "Period still running" in schedule
    assert f"/partnerships/{running.pk}/check-ins/{checkin_of(running, world.a).pk}/" in schedule  # fill in
    assert "Fill in" in schedule


def test_once_the_partnership_completes_its_unfiled_reports_show_as_no_longer_due(client, world, running):
    with time_machine.travel(at(datetime.date(2026, 5, 20)), tick=False):
        complete(world, running)
        client.force_login(world.officer_a)
        page = client.get(running.get_absolute_url()).content.decode()

    schedule = page[page.index('id="checkins"'):page.index('id="logs"')]
    assert "Not due: the partnership has closed" in schedule
    assert "Overdue" not in schedule and "Period still running" not in schedule and "Fill in" not in schedule


def test_the_sweep_makes_the_periods_up_to_today_and_the_page_only_shows_them(client, world, running):
    client.force_login(world.coordinator_b)
    before = running.periods.count()
    with time_machine.travel(at(datetime.date(2026, 10, 20)), tick=False):
        client.get(running.get_absolute_url())
        assert running.periods.count() == before  # a page view makes nothing
        send_due_reminders()
        page = client.get(running.get_absolute_url()).content.decode()
    assert running.periods.count() == 4
    newest = running.periods.order_by("-number").first()
    assert date_format(newest.starts_on) in page


# Home ----------------------------------------------------------------------------------------


def test_officers_home_lists_overdue_and_soon_due_checkins_of_their_sections(client, world, running):
    schedule_extend(partnership=running, today=datetime.date(2026, 7, 20))
    client.force_login(world.officer_a)

    with time_machine.travel(at(datetime.date(2026, 5, 10)), tick=False):
        page = client.get("/").content.decode()
    first = url(checkin_of(running, world.a))
    assert "Due in the next two weeks" in page and first in page and f"Due {shown(datetime.date(2026, 5, 14))} (in 4 days)" in page
    assert url(checkin_of(running, world.b)) not in page  # the partner's

    with time_machine.travel(at(datetime.date(2026, 5, 20)), tick=False):
        page = client.get("/").content.decode()
        assert "Overdue" in page and "(6 days overdue)" in page and first in page
        assert url(checkin_of(running, world.a, 1)) not in page  # due 13 August: not soon

        checkin_save(checkin=checkin_of(running, world.a), actor=world.officer_a, data={"overall": "on-track"}, submit=True)
        page = client.get("/").content.decode()
    assert first not in page
    assert "Check-ins to file" not in page


def test_coordinators_home_lists_no_checkins(client, world, running):
    client.force_login(world.coordinator_a)
    with time_machine.travel(at(datetime.date(2026, 5, 20)), tick=False):
        page = client.get("/").content.decode()
    assert "Check-ins to file" not in page


# Queries -------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _more_plan(world: World, partnership: Partnership, count: int) -> None:
    objective = partnership.objectives.first()
    form = TwinningForm.objects.get(code="technical-exchange")
    for n in range(count):
        services.plan_item_save(
            partnership=partnership, actor=world.officer_a,
            item=Activity(objective=objective, title=f"Activity {n}", form=form, owning_section=world.a,
                          start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2026, 3, 1)),
        )
        services.plan_item_save(
            partnership=partnership, actor=world.officer_a,
            item=Indicator(objective=objective, name=f"Indicator {n}", unit="events", target=Decimal("3"),
                           target_date=datetime.date(2026, 12, 1)),
        )


@pytest.mark.usefixtures("on_reporting_day")
def test_checkin_form_queries_do_not_grow_with_the_plan(client, world, running):
    checkin = checkin_of(running, world.a)
    client.force_login(world.officer_a)
    client.post(url(checkin), {**fields(running), "draft": "Save draft"})
    few = _queries(client, url(checkin))
    _more_plan(world, running, 6)
    assert _queries(client, url(checkin)) == few


def _report(world: World, partnership: Partnership, section, actor, amendments: int) -> CheckIn:
    """The section's first check-in, submitted on every plan item and amended `amendments` times."""
    checkin = checkin_save(
        checkin=checkin_of(partnership, section), actor=actor, data={"overall": "on-track"}, submit=True,
        actuals={indicator.pk: Decimal("1") for indicator in partnership.indicators.all()},
        progress={activity.pk: Progress("in-progress", "Going") for activity in partnership.activities.all()},
    )
    for n in range(amendments):
        checkin_amend(checkin=checkin, actor=actor, data={"done": f"Version {n}"}, reason=f"Correction {n}")
    return checkin


@pytest.mark.usefixtures("on_reporting_day")
@pytest.mark.parametrize("role", ["its officer", "the partner's officer"])
def test_submitted_checkin_queries_do_not_grow_with_reports_or_amendments(client, world, running, role):
    few = _report(world, running, world.a, world.officer_a, amendments=1)
    _more_plan(world, running, 6)
    many = _report(world, running, world.b, world.officer_b, amendments=5)
    owner = {world.a.pk: world.officer_a, world.b.pk: world.officer_b}
    partner = {world.a.pk: world.officer_b, world.b.pk: world.officer_a}
    viewer = owner if role == "its officer" else partner

    client.force_login(viewer[few.section_id])
    few_queries = _queries(client, url(few))
    client.force_login(viewer[many.section_id])
    assert _queries(client, url(many)) == few_queries


def test_home_queries_do_not_grow_with_checkins(client, world, running):
    client.force_login(world.officer_a)
    schedule_extend(partnership=running, today=datetime.date(2026, 5, 1))
    with time_machine.travel(at(datetime.date(2026, 5, 20)), tick=False):
        few = _queries(client, "/")
        schedule_extend(partnership=running, today=datetime.date(2027, 5, 1))
        # Pretend every period is overdue: many check-ins on the page.
        CheckIn.objects.update(due_on=datetime.date(2026, 5, 1))
        page = client.get("/").content.decode()
        assert page.count("days overdue") == CheckIn.objects.filter(section=world.a).count() > 1
        assert _queries(client, "/") == few


def test_indicator_actuals_of_drafts_stay_off_the_chart(client, world, running):
    indicator = running.indicators.get()
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        checkin_save(checkin=checkin_of(running, world.a), actor=world.officer_a, data={},
                     actuals={indicator.pk: Decimal("5")})
        client.force_login(world.officer_b)
        page = client.get(running.get_absolute_url()).content.decode()
    assert IndicatorActual.objects.count() == 1
    assert "No actual values submitted yet." in page


@pytest.mark.parametrize("role", ["officer_a", "coordinator_b"])
def test_detail_queries_do_not_grow_with_periods_checkins_and_actuals(client, world, role):
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, tzinfo=datetime.UTC), tick=False):
        partnership = make_ready(world, endorsed(world))
        services.partnership_activate(
            partnership=partnership, actor=world.officer_a, cadence=Partnership.Cadence.MONTHLY
        )
    partnership.refresh_from_db()
    _more_plan(world, partnership, 2)
    indicators = list(partnership.indicators.all())
    officers = {world.a.pk: world.officer_a, world.b.pk: world.officer_b}
    client.force_login(getattr(world, role))

    def page_after_reporting_until(day: datetime.date) -> int:
        """Every period ended by `day` reported by both sides, with a value for each indicator;
        the queries of the page opened that day."""
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False):
            schedule_extend(partnership=partnership, today=day)
            due = CheckIn.objects.filter(
                period__partnership=partnership, state=CheckIn.State.DRAFT, period__ends_on__lt=day
            )
            for checkin in due:
                checkin_save(
                    checkin=checkin, actor=officers[checkin.section_id], data={"overall": "on-track"}, submit=True,
                    actuals={indicator.pk: Decimal(checkin.period.number) for indicator in indicators},
                )
            return _queries(client, partnership.get_absolute_url())

    few = page_after_reporting_until(datetime.date(2026, 3, 1))
    many = page_after_reporting_until(datetime.date(2026, 10, 1))
    assert partnership.periods.count() == 9
    assert many == few
