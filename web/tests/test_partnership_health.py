"""Health where people look: the nightly job records each active partnership's health with
its reason, and the partnership page and list show it; the list filters and sorts by it."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from evaluation.models import Health, PartnershipHealth
from evaluation.services.health import reason_words, record_health_changes
from evaluation.tests.monitoring import activate, at, d
from partnerships.models import Partnership, Status
from partnerships.tests.conftest import propose
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def running(world, title: str, status: str = Status.ACTIVE) -> Partnership:
    """A bare partnership of the world's two sections (the services allow one open at a time)."""
    partnership = PartnershipFactory(title=title, status=status, proposing_section=world.a)
    ParticipantFactory(partnership=partnership, section=world.a)
    ParticipantFactory(partnership=partnership, section=world.b)
    return partnership


def recorded(partnership: Partnership, health: str, reason: str) -> None:
    PartnershipHealth.objects.update_or_create(
        partnership=partnership, defaults={"health": health, "reason": reason, "since": d(1, 1)}
    )


def test_the_nightly_job_keeps_the_reason_beside_the_health(world, django_capture_on_commit_callbacks):
    partnership = activate(world, d(1, 1))
    with time_machine.travel(at(d(5, 2)), tick=False), django_capture_on_commit_callbacks(execute=True):
        record_health_changes(d(5, 2))

    row = PartnershipHealth.objects.get(partnership=partnership)
    assert row.health == Health.DORMANT
    # Recorded as data, written in the words of whoever reads it.
    assert reason_words(row.reason).startswith("Nothing recorded for 121 days (since 1 Jan 2026)")
    assert row.checked_on == d(5, 2)


def test_the_partnership_page_shows_the_health_and_why(world):
    partnership = activate(world, d(1, 1))
    recorded(partnership, Health.OFF_TRACK, "Beta Section reported off track.")

    page = client_for(world.officer_b).get(partnership.get_absolute_url()).content.decode()

    assert "Off track" in page
    assert "Beta Section reported off track." in page


def test_a_proposal_has_no_health(world):
    partnership = propose(world)

    page = client_for(world.officer_a).get(partnership.get_absolute_url()).content.decode()

    assert "health-badge-" not in page


def test_an_active_partnership_not_yet_checked_reads_on_track(world):
    partnership = activate(world, d(1, 1))

    page = client_for(world.officer_a).get(partnership.get_absolute_url()).content.decode()

    assert "health-badge-on-track" in page


def test_the_list_shows_filters_and_sorts_by_health(world):
    recorded(running(world, "Quiet exchange"), Health.DORMANT, "Nothing recorded for 130 days.")
    recorded(running(world, "Risky exchange"), Health.AT_RISK, "Alpha Section reported at risk.")
    running(world, "Fine exchange")  # not yet seen by the nightly job: on track
    running(world, "A proposal", Status.PROPOSED)
    client = client_for(world.officer_a)

    listed = client.get("/partnerships/?health=dormant").context["partnerships"]
    assert [partnership.title for partnership in listed] == ["Quiet exchange"]

    worst_first = [p.title for p in client.get("/partnerships/?sort=health").context["partnerships"]]
    assert worst_first == ["Quiet exchange", "Risky exchange", "Fine exchange", "A proposal"]

    page = client.get("/partnerships/").content.decode()
    assert "health-badge-dormant" in page and "Nothing recorded for 130 days." in page
    assert page.count("health-badge-") == 3  # the proposal has none


def test_an_unknown_health_is_left_out_with_a_message(world):
    activate(world, d(1, 1))

    response = client_for(world.officer_a).get("/partnerships/?health=sparkling&sort=nonsense")

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_with_health_takes_the_same_queries_for_more_partnerships(
    world, count, django_assert_num_queries
):
    for number in range(count):
        recorded(running(world, f"Exchange {number}"), Health.COOLING, "Quiet.")
    client = client_for(world.officer_a)

    # Session and user, offices and coordinations, the count, the filter form's choices (forms,
    # districts, sections, partner districts), the page with its health, its forms and its participants.
    with django_assert_num_queries(11):
        response = client.get("/partnerships/?sort=health")
    assert len(response.context["partnerships"]) == count
