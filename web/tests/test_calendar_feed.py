"""The profile page and each user's iCalendar feed: created, replaced and revoked by POST,
shown once, fetched by calendar apps with its secret address, parsed back with icalendar."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from evaluation.models import CheckIn
from evaluation.tests.closing_helpers import filled
from sections.tests.factories import CoordinatorFactory
from web.models import CalendarFeed, token_digest
from web.services import calendar_feed_create

from .helpers import running

pytestmark = pytest.mark.django_db


def _feed(client, token: str):
    return client.get(f"/calendar/{token}.ics")


def _events(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]), "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"), "url": str(event["URL"]),
        }
        for event in calendar.walk("VEVENT")
    }


def test_the_feed_holds_the_sections_checkins_evaluations_and_activities(client, world):
    (partnership,) = running(world)
    evaluation = filled(world, partnership)
    token = calendar_feed_create(user=world.officer_a)

    events = _events(_feed(client, token))

    checkins = CheckIn.objects.filter(section=world.a, state=CheckIn.State.DRAFT)
    activity = partnership.activities.get()
    expected = {f"checkin-{checkin.pk}@twinning" for checkin in checkins} | {
        f"evaluation-{evaluation.pk}@twinning", f"activity-{activity.pk}@twinning",
    }
    assert set(events) == expected
    first = checkins.order_by("due_on").first()
    event = events[f"checkin-{first.pk}@twinning"]
    assert event["summary"] == "Check-in due: Alpha and Beta Section (Alpha Section)"
    assert event["start"] == first.due_on and event["end"] == first.due_on + datetime.timedelta(days=1)
    assert event["url"] == f"http://testserver/partnerships/{partnership.pk}/check-ins/{first.pk}/"
    event = events[f"evaluation-{evaluation.pk}@twinning"]
    assert event["summary"] == "Final evaluation: Alpha and Beta Section"
    assert event["start"] == partnership.planned_end_date
    event = events[f"activity-{activity.pk}@twinning"]
    assert (event["start"], event["end"]) == (datetime.date(2026, 6, 1), datetime.date(2026, 9, 1))


def test_another_users_items_are_not_in_the_feed(client, world):
    (partnership,) = running(world)
    others = CheckIn.objects.filter(section=world.b)
    assert others.exists()
    events = _events(_feed(client, calendar_feed_create(user=world.officer_a)))
    assert not {f"checkin-{checkin.pk}@twinning" for checkin in others} & set(events)
    # A coordinator holds no office: an empty calendar, not another section's dates.
    assert _events(_feed(client, calendar_feed_create(user=world.coordinator_a))) == {}
    assert _events(_feed(client, calendar_feed_create(user=CoordinatorFactory().user))) == {}


def test_a_replaced_or_revoked_or_forged_token_answers_404(client, world):
    old = calendar_feed_create(user=world.officer_a)
    new = calendar_feed_create(user=world.officer_a)
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    assert _feed(client, "forged-token").status_code == 404
    client.force_login(world.officer_a)
    client.post("/accounts/profile/calendar/revoke/")
    client.logout()
    assert _feed(client, new).status_code == 404
    # An account switched off takes its feed with it.
    token = calendar_feed_create(user=world.officer_b)
    world.officer_b.is_active = False
    world.officer_b.save(update_fields=["is_active"])
    assert _feed(client, token).status_code == 404


def test_profile_creates_shows_once_replaces_and_revokes_the_feed(client, world):
    client.force_login(world.officer_a)
    page = client.get("/accounts/profile/").content.decode()
    assert "Ann Alpha" in page and world.officer_a.email in page and "Alpha Section" in page
    assert "Create a calendar feed" in page and not CalendarFeed.objects.exists()

    response = client.post("/accounts/profile/calendar/")
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    page = client.get("/accounts/profile/").content.decode()
    token = re.search(r"http://testserver/calendar/([\w-]+)\.ics", page).group(1)
    assert "shown only this once" in page
    # The database keeps only the hash.
    assert CalendarFeed.objects.get(user=world.officer_a).token_hash == token_digest(token)
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    page = client.get("/accounts/profile/").content.decode()
    assert token not in page and "Replace the address" in page

    client.post("/accounts/profile/calendar/")
    assert CalendarFeed.objects.get(user=world.officer_a).token_hash != token_digest(token)
    client.post("/accounts/profile/calendar/revoke/")
    assert not CalendarFeed.objects.exists()
    assert "Create a calendar feed" in client.get("/accounts/profile/").content.decode()


def test_profile_lists_a_coordinators_districts(client, world):
    client.force_login(world.coordinator_a)
    page = client.get("/accounts/profile/").content.decode()
    assert "Coordinator of District A" in page


def test_a_get_of_the_profile_or_feed_writes_nothing(client, world):
    running(world)
    token = calendar_feed_create(user=world.officer_a)
    client.force_login(world.officer_a)
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/profile/")
        client.get(f"/calendar/{token}.ics")
    writes = [q["sql"] for q in queries.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]
    assert writes == []


@pytest.mark.parametrize("count", [1, 3])
def test_the_feed_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries, count):
    partnerships = running(world, count)
    filled(world, partnerships[0])
    token = calendar_feed_create(user=world.officer_a)
    with django_assert_num_queries(5):
        events = _events(_feed(client, token))
    assert sum(uid.startswith("activity-") for uid in events) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_profile_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries, count):
    running(world, count)
    calendar_feed_create(user=world.officer_a)
    client.force_login(world.officer_a)
    # Session, user (with the bell's count), offices, coordinations, notice preferences, feed,
    # the reader's time zone, their section's as they chose none (1).
    with django_assert_num_queries(7):
        client.get("/accounts/profile/")
