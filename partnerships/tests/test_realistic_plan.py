"""Realistic expectations: activation refused once the planned end has passed (and the
agreement page that moves it), warnings for plan dates outside the partnership's window and
for pending funding past its date, shown beside each item and counted at the top of the page;
progress recorded on an activity only by the section that carries it out."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from partnerships import selectors, services
from partnerships.models import Activity, FundingLine, Partnership, Status
from partnerships.selectors import plan_warnings
from partnerships.services import TransitionRefused
from partnerships.tests.conftest import World, endorsed, make_ready, propose, record_agreement
from partnerships.tests.test_queries import _queries
from sections.models import TwinningForm

pytestmark = pytest.mark.django_db

# The world's partnership runs 1 January 2026 – 30 June 2027.
TODAY = datetime.date(2026, 3, 1)


def shown(year: int, month: int, day: int) -> str:
    return date_format(datetime.date(year, month, day))


WINDOW = f"({shown(2026, 1, 1)} – {shown(2027, 6, 30)})"


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


@pytest.fixture
def ready(world) -> Partnership:
    with time_machine.travel(noon(TODAY), tick=False):
        return make_ready(world, endorsed(world))


def add_activity(world: World, partnership: Partnership, title: str, start, end, **fields) -> Activity:
    return services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=Activity(
            objective=partnership.objectives.first(), title=title, form=TwinningForm.objects.get(code="technical-exchange"),
            owning_section=world.a, start_date=start, end_date=end, **fields,
        ),
    )


def add_funding(world: World, partnership: Partnership, source: str, status: str, expected_by) -> FundingLine:
    return services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=FundingLine(source=source, amount=Decimal("100"), status=status, expected_by=expected_by),
    )


def flagged(partnership: Partnership, today: datetime.date = TODAY) -> list[tuple[str, str]]:
    return [(str(warning.item), warning.message) for warning in plan_warnings(partnership, today)]


# Activation ----------------------------------------------------------------------------------


def test_activation_is_refused_once_the_planned_end_has_passed_and_says_how_to_move_it(world, ready):
    with time_machine.travel(noon(datetime.date(2027, 7, 1)), tick=False):
        with pytest.raises(TransitionRefused) as refused:
            services.partnership_activate(partnership=ready, actor=world.officer_a)

    assert f"The planned end date ({shown(2027, 6, 30)}) has passed: move it to a date still to come" in str(refused.value)
    assert "Record the agreement" in str(refused.value)
    assert Partnership.objects.get(pk=ready.pk).status == Status.ENDORSED


def test_the_planned_end_moved_on_the_agreement_lets_the_partnership_activate(world, ready):
    with time_machine.travel(noon(datetime.date(2027, 7, 1)), tick=False):
        record_agreement(
            world, ready, kind=Partnership.AgreementKind.WRITTEN,
            signed_on=datetime.date(2025, 12, 1), planned_end_date=datetime.date(2028, 6, 30),
        )
        services.partnership_activate(partnership=ready, actor=world.officer_a)

    ready.refresh_from_db()
    assert (ready.status, ready.planned_end_date) == (Status.ACTIVE, datetime.date(2028, 6, 30))


def test_the_planned_end_is_not_moved_into_the_past(world, ready):
    with time_machine.travel(noon(datetime.date(2027, 7, 1)), tick=False), pytest.raises(ValidationError) as refused:
        services.agreement_record(
            partnership=ready, actor=world.officer_a, kind=Partnership.AgreementKind.WRITTEN,
            signed_on=datetime.date(2025, 12, 1), planned_end_date=datetime.date(2027, 6, 30) - datetime.timedelta(days=1),
        )
    assert refused.value.message_dict == {"planned_end_date": ["The planned end cannot be in the past."]}
    assert Partnership.objects.get(pk=ready.pk).planned_end_date == datetime.date(2027, 6, 30)


def test_the_agreement_page_moves_the_planned_end(client, world, ready):
    url = f"/partnerships/{ready.pk}/agreement/"
    with time_machine.travel(noon(datetime.date(2027, 7, 1)), tick=False):
        client.force_login(world.officer_b)
        assert 'value="2027-06-30"' in client.get(url).content.decode()
        detail = client.get(ready.get_absolute_url()).content.decode()
        assert f"The planned end date ({shown(2027, 6, 30)}) has passed" in detail

        response = client.post(url, {"kind": "written", "signed_on": "2025-12-01", "planned_end_date": "2028-01-31"})
        assert response.status_code == 302
        # Beta proposed it; the planned end moves once Alpha confirms.
        assert Partnership.objects.get(pk=ready.pk).planned_end_date == datetime.date(2027, 6, 30)
        change = ready.agreement_changes.get(state="pending")
        client.force_login(world.officer_a)
        client.post(f"/partnerships/{ready.pk}/agreement/changes/{change.pk}/confirm/")

    assert Partnership.objects.get(pk=ready.pk).planned_end_date == datetime.date(2028, 1, 31)


@pytest.mark.parametrize(("value", "error"), [
    ("", "This field is required."),
    ("someday", "Enter a valid date."),
    ("2025-12-31", "The planned end must come after the start."),
])
def test_a_bad_planned_end_on_the_agreement_page_is_a_field_error(client, world, ready, value, error):
    with time_machine.travel(noon(datetime.date(2025, 12, 20)), tick=False):
        client.force_login(world.officer_a)
        response = client.post(
            f"/partnerships/{ready.pk}/agreement/",
            {"kind": "verbal", "signed_on": "2025-12-01", "planned_end_date": value},
        )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Partnership.objects.get(pk=ready.pk).planned_end_date == datetime.date(2027, 6, 30)


# Warnings ------------------------------------------------------------------------------------


def test_a_clean_plan_has_no_warnings(world, ready):
    add_funding(world, ready, "Society grant", FundingLine.Status.PENDING, datetime.date(2026, 5, 1))
    assert flagged(ready) == []


def test_activities_outside_the_window_are_flagged_and_cancelled_ones_are_not(world, ready):
    add_activity(world, ready, "Kick-off", datetime.date(2025, 12, 1), datetime.date(2026, 1, 10))
    add_activity(world, ready, "Closing fair", datetime.date(2027, 6, 1), datetime.date(2027, 7, 15))
    add_activity(world, ready, "Dropped trip", datetime.date(2027, 8, 1), datetime.date(2027, 8, 2),
                 status=Activity.Status.CANCELLED)

    assert flagged(ready) == [
        ("Kick-off", f"Runs {shown(2025, 12, 1)} – {shown(2026, 1, 10)}, outside the partnership's window {WINDOW}: "
                     "move its dates or the partnership's planned end."),
        ("Closing fair", f"Runs {shown(2027, 6, 1)} – {shown(2027, 7, 15)}, outside the partnership's window {WINDOW}: "
                         "move its dates or the partnership's planned end."),
    ]


def test_funding_expected_outside_the_window_is_flagged(world, ready):
    add_funding(world, ready, "Late grant", FundingLine.Status.PENDING, datetime.date(2027, 9, 1))
    add_funding(world, ready, "Early gift", FundingLine.Status.CONFIRMED, datetime.date(2025, 11, 1))

    assert flagged(ready, today=datetime.date(2025, 10, 1)) == [
        ("Late grant: 100.00 USD", f"Expected by {shown(2027, 9, 1)}, outside the partnership's window {WINDOW}."),
        ("Early gift: 100.00 USD", f"Expected by {shown(2025, 11, 1)}, outside the partnership's window {WINDOW}."),
    ]


def test_pending_funding_past_its_date_is_flagged_and_confirmed_funding_is_not(world, ready):
    add_funding(world, ready, "Society grant", FundingLine.Status.PENDING, datetime.date(2026, 2, 1))
    add_funding(world, ready, "Sponsor", FundingLine.Status.CONFIRMED, datetime.date(2026, 2, 1))

    assert flagged(ready) == [
        ("Society grant: 100.00 USD",
         f"Still pending, though a decision was expected by {shown(2026, 2, 1)}: confirm it, or give the new date."),
    ]


def test_a_closed_partnership_has_no_warnings(world):
    partnership = propose(world)
    add_funding(world, partnership, "Society grant", FundingLine.Status.PENDING, datetime.date(2026, 2, 1))
    services.partnership_withdraw(partnership=partnership, actor=world.officer_a, reason="Not now")
    partnership.refresh_from_db()
    assert plan_warnings(partnership, TODAY) == []


def test_warnings_take_two_queries_however_large_the_plan(world, ready, django_assert_num_queries):
    for n in range(5):
        add_activity(world, ready, f"Late {n}", datetime.date(2027, 6, 1), datetime.date(2027, 8, 1))
        add_funding(world, ready, f"Grant {n}", FundingLine.Status.PENDING, datetime.date(2026, 2, 1))
    with django_assert_num_queries(2):
        warnings = plan_warnings(ready, TODAY)
    assert len(warnings) == 10


def test_warnings_never_block_saving_the_plan(world, ready):
    activity = add_activity(world, ready, "Kick-off", datetime.date(2025, 12, 1), datetime.date(2026, 1, 10))
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_the_partnership_page_counts_the_warnings_and_shows_each_beside_its_item(client, world, ready):
    add_activity(world, ready, "Closing fair", datetime.date(2027, 6, 1), datetime.date(2027, 7, 15))
    add_funding(world, ready, "Society grant", FundingLine.Status.PENDING, datetime.date(2027, 9, 1))
    with time_machine.travel(noon(datetime.date(2027, 9, 2)), tick=False):
        client.force_login(world.coordinator_b)
        page = client.get(ready.get_absolute_url()).content.decode()

    assert re.search(r'<a class="alert-link" href="#plan">3 warnings on the plan</a>', page)
    row = re.search(r"<tr><td>Closing fair.*?</tr>", page, re.S).group(0)
    assert "outside the partnership&#x27;s window" in row
    funding = re.search(r"<tr><td>Society grant.*?</tr>", page, re.S).group(0)
    assert f"Expected by {shown(2027, 9, 1)}, outside" in funding and "Still pending, though" in funding


def test_a_clean_plan_shows_no_warning_count(client, world, ready):
    with time_machine.travel(noon(TODAY), tick=False):
        client.force_login(world.officer_a)
        page = client.get(ready.get_absolute_url()).content.decode()
    assert "on the plan</a>" not in page


def test_the_page_queries_do_not_grow_with_warnings(client, world, ready):
    with time_machine.travel(noon(TODAY), tick=False):
        client.force_login(world.officer_a)
        add_activity(world, ready, "Late 0", datetime.date(2027, 6, 1), datetime.date(2027, 8, 1))
        few = _queries(client, ready.get_absolute_url())
        for n in range(1, 6):
            add_activity(world, ready, f"Late {n}", datetime.date(2027, 6, 1), datetime.date(2027, 8, 1))
            add_funding(world, ready, f"Grant {n}", FundingLine.Status.PENDING, datetime.date(2026, 2, 1))
        assert _queries(client, ready.get_absolute_url()) == few


# Progress on the plan ------------------------------------------------------------------------


def test_only_the_section_carrying_an_activity_out_records_its_progress(world, ready):
    activity = ready.activities.get()  # carried out by Alpha
    with pytest.raises(PermissionDenied):
        services.activity_progress_record(
            partnership=ready, actor=world.officer_b, progress={activity.pk: ("cancelled", None)}, reason="Beta says so",
        )
    activity.refresh_from_db()
    assert (activity.status, activity.percent_complete, activity.history.count()) == ("planned", 0, 1)


def test_recorded_progress_is_kept_in_the_history_with_its_reason(world, ready):
    activity = ready.activities.get()
    services.activity_progress_record(
        partnership=ready, actor=world.officer_a, progress={activity.pk: ("in-progress", 30)}, reason="From a report",
    )
    activity.refresh_from_db()
    latest = activity.history.first()
    assert (activity.status, activity.percent_complete) == ("in-progress", 30)
    assert (latest.history_change_reason, latest.history_user) == ("From a report", world.officer_a)
    assert selectors.partnership_history(partnership=ready)[0]["detail"] == "From a report"
