"""The partnership list and page keep a fixed number of queries however much they hold."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import services
from partnerships.models import Activity, CommunicationEntry, Indicator, Objective
from partnerships.tests.conftest import endorsed, make_ready, propose
from sections.models import TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_partnerships(world, count: int, *, accepted: bool = False) -> None:
    for n in range(count):
        partner = SectionFactory(district=world.b.district)
        officer = OfficerFactory(section=partner).user
        partnership = propose(world, partner_sections=[partner], title=f"Extra {n}")
        if accepted:
            services.partnership_accept(partnership=partnership, section=partner, actor=officer)


def test_list_queries_do_not_grow_with_partnerships(client, world):
    client.force_login(world.coordinator_a)
    _more_partnerships(world, 2)
    few = _queries(client, "/partnerships/")
    _more_partnerships(world, 15)
    assert _queries(client, "/partnerships/") == few


def _more_plan(world, partnership, count: int) -> None:
    goal = partnership.goals.first()
    form = TwinningForm.objects.get(code="technical-exchange")
    for n in range(count):
        objective = services.plan_item_save(
            partnership=partnership, actor=world.officer_a, item=Objective(goal=goal, title=f"Objective {n}")
        )
        services.plan_item_save(
            partnership=partnership, actor=world.officer_a,
            item=Activity(
                objective=objective, title=f"Activity {n}", form=form, owning_section=world.b,
                responsible=world.officer_b, start_date=datetime.date(2026, 2, 1),
                end_date=datetime.date(2026, 3, 1), budget=Decimal("10"),
            ),
        )
        services.plan_item_save(
            partnership=partnership, actor=world.officer_a,
            item=Indicator(objective=objective, name=f"Indicator {n}", unit="events", target=Decimal("3"),
                           target_date=datetime.date(2026, 12, 1)),
        )
        services.communication_add(
            partnership=partnership, actor=world.officer_a,
            entry=CommunicationEntry(date=datetime.date(2026, 1, 1), channel="call", participants="Both", summary="Call"),
        )


@pytest.mark.parametrize("role", ["officer_a", "coordinator_b"])
def test_detail_queries_do_not_grow_with_plan_items(client, world, role):
    partnership = make_ready(world, endorsed(world))
    client.force_login(getattr(world, role))
    _more_plan(world, partnership, 1)
    few = _queries(client, partnership.get_absolute_url())
    _more_plan(world, partnership, 8)
    assert _queries(client, partnership.get_absolute_url()) == few


def test_section_profile_queries_do_not_grow_with_its_partnerships(client, world):
    client.force_login(world.officer_a)
    _more_partnerships(world, 1)
    few = _queries(client, world.a.get_absolute_url())
    _more_partnerships(world, 10)
    assert _queries(client, world.a.get_absolute_url()) == few


def test_home_queries_do_not_grow_with_partnerships_waiting(client, world):
    client.force_login(world.coordinator_b)
    _more_partnerships(world, 2, accepted=True)
    few = _queries(client, "/")
    _more_partnerships(world, 10, accepted=True)
    page = client.get("/").content.decode()
    # The ten waiting longest, and a link to all twelve.
    assert page.count("/do/endorse/") == 10
    assert "See all 12 partnerships waiting for you" in page
    assert _queries(client, "/") == few


def test_the_list_of_what_waits_shows_all_that_the_home_page_counts(client, world):
    _more_partnerships(world, 12, accepted=True)
    client.force_login(world.coordinator_b)
    page = client.get("/partnerships/", {"waiting": "true"}).content.decode()
    assert "12 partnerships" in page
    assert all(f"Extra {n}<" in page for n in range(12))
    # Waiting for the district's coordinator, not for an officer of one of its sections.
    client.force_login(world.officer_a)
    assert "0 partnerships" in client.get("/partnerships/", {"waiting": "true"}).content.decode()


def _more_side_changes(world, partnership, count: int) -> None:
    """Changes each side makes to its own record, and agreement changes proposed and answered:
    all of them rows of the page's history."""
    for n in range(count):
        services.signatory_record(partnership=partnership, actor=world.officer_b, section=world.b, signed_by=f"Signer {n}")
        officer = OfficerFactory(section=world.a).user
        lead = services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=officer)
        services.lead_remove(partnership=partnership, actor=world.officer_a, lead=lead)
        change = services.agreement_record(
            partnership=partnership, actor=world.officer_b, kind="verbal", signed_on=datetime.date(2025, 11, n + 1)
        )
        services.agreement_change_decline(change=change, actor=world.officer_a)


def test_detail_queries_do_not_grow_with_side_changes_and_agreement_changes(client, world):
    partnership = make_ready(world, endorsed(world))
    client.force_login(world.officer_a)
    _more_side_changes(world, partnership, 1)
    # One change waits for an answer, so the page shows it with its buttons.
    services.agreement_record(partnership=partnership, actor=world.officer_b, kind="verbal", signed_on=None)
    few = _queries(client, partnership.get_absolute_url())
    services.agreement_change_withdraw(change=partnership.agreement_changes.get(state="pending"), actor=world.officer_b)
    _more_side_changes(world, partnership, 6)
    services.agreement_record(partnership=partnership, actor=world.officer_b, kind="verbal", signed_on=None)
    assert _queries(client, partnership.get_absolute_url()) == few


def test_detail_reads_a_relation_only_when_the_partnership_has_rows_in_it(client, world):
    """The page asks with its partnership which of its usually empty relations hold rows and
    reads only those: a first communication costs one query, and shows."""
    partnership = make_ready(world, endorsed(world))
    client.force_login(world.officer_a)
    before = _queries(client, partnership.get_absolute_url())
    assert "Nothing logged yet." in client.get(partnership.get_absolute_url()).content.decode()
    services.communication_add(
        partnership=partnership, actor=world.officer_a,
        entry=CommunicationEntry(date=datetime.date(2026, 1, 1), channel="call", participants="Both", summary="Kick-off call"),
    )
    assert _queries(client, partnership.get_absolute_url()) == before + 1
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Kick-off call" in page
    assert "Nothing logged yet." not in page
