"""Exchanges: each side changes its own part, the host confirms the dates, either side
reports it done with outcomes; who goes is personal data, shown to few and removable."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships import services
from partnerships.models import Exchange, ExchangeParticipant
from partnerships.services import activation_gaps
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

from .conftest import endorsed, make_ready, propose

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2026, 6, 1)
IN_JUNE = datetime.datetime(2026, 6, 10, 12, tzinfo=datetime.UTC)


def plan(world, partnership, *, actor=None, two_way=False, **fields) -> Exchange:
    values = dict(
        title="Robotics lab weeks", kind=Exchange.Kind.STUDENT_TRAINING, sending_section=world.a,
        host_section=world.b, start_date=JUNE, end_date=JUNE + datetime.timedelta(days=20),
    )
    values.update(fields)
    return services.exchange_plan(
        partnership=partnership, actor=actor or world.officer_a, exchange=Exchange(**values),
        return_dates=(datetime.date(2026, 9, 1), datetime.date(2027, 2, 28)) if two_way else None,
    )


@pytest.fixture
def partnership(world):
    return endorsed(world, forms=("student-exchange",))


# Services ---------------------------------------------------------------------------------


def test_a_two_way_exchange_is_two_legs_with_host_and_sender_swapped(world, partnership):
    out = plan(world, partnership, two_way=True)

    back = out.return_leg
    assert (out.sending_section, out.host_section) == (world.a, world.b)
    assert (back.sending_section, back.host_section) == (world.b, world.a)
    assert back.outbound_leg == out
    assert back.title == "Robotics lab weeks (return)"
    assert (back.start_date, back.end_date) == (datetime.date(2026, 9, 1), datetime.date(2027, 2, 28))
    assert {out.status, back.status} == {Exchange.Status.PLANNED}
    assert out.duration_label == "Short-term (3 weeks)"
    assert back.duration_label == "Long-term (6 months)"


def test_only_the_host_confirms_the_dates(world, partnership):
    exchange = plan(world, partnership)

    with pytest.raises(PermissionDenied):
        services.exchange_confirm(exchange=exchange, actor=world.officer_a)
    services.exchange_confirm(exchange=exchange, actor=world.officer_b)

    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CONFIRMED
    assert exchange.confirmed_by == world.officer_b


def test_new_dates_from_the_sending_side_wait_for_the_host_again(world, partnership):
    exchange = plan(world, partnership)
    services.exchange_confirm(exchange=exchange, actor=world.officer_b)

    services.exchange_update(exchange=exchange, actor=world.officer_a, changes={"start_date": datetime.date(2026, 6, 8)})

    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED
    assert exchange.confirmed_by is None
    assert exchange.history.first().history_change_reason.startswith("New dates proposed")


def test_each_side_changes_only_its_own_part(world, partnership):
    exchange = plan(world, partnership)

    with pytest.raises(PermissionDenied):
        services.exchange_update(exchange=exchange, actor=world.officer_b, changes={"end_date": datetime.date(2026, 7, 1)})
    with pytest.raises(PermissionDenied):
        services.exchange_update(exchange=exchange, actor=world.officer_a, changes={"programme": "Our programme"})
    services.exchange_update(exchange=exchange, actor=world.officer_b, changes={"programme": "Week 1: PLCs"})

    exchange.refresh_from_db()
    assert exchange.programme == "Week 1: PLCs"
    assert exchange.end_date == JUNE + datetime.timedelta(days=20)
    with pytest.raises(ValidationError):
        services.exchange_update(exchange=exchange, actor=world.officer_a, changes={"status": "done"})


def test_done_needs_confirmed_dates_a_start_and_outcomes(world, partnership):
    exchange = plan(world, partnership)
    with time_machine.travel(IN_JUNE):
        with pytest.raises(ValidationError):
            services.exchange_done(exchange=exchange, actor=world.officer_a, outcomes="Learnt a lot")
        services.exchange_confirm(exchange=exchange, actor=world.officer_b)
        with pytest.raises(ValidationError) as blank:
            services.exchange_done(exchange=exchange, actor=world.officer_a, outcomes="   ")
        assert "outcomes" in blank.value.message_dict
    with time_machine.travel(datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError):
            services.exchange_done(exchange=exchange, actor=world.officer_b, outcomes="Early")
    with time_machine.travel(IN_JUNE):
        services.exchange_start(exchange=exchange, actor=world.officer_a)
        services.exchange_done(exchange=exchange, actor=world.officer_b, outcomes="Six students trained on PLCs.")

    exchange.refresh_from_db()
    assert (exchange.status, exchange.outcomes) == (Exchange.Status.DONE, "Six students trained on PLCs.")
    with pytest.raises(ValidationError):
        services.exchange_cancel(exchange=exchange, actor=world.officer_a)


def test_neither_coordinator_outsider_nor_third_section_plans_or_steps(world, partnership):
    exchange = plan(world, partnership)
    for user in (world.coordinator_a, world.outsider, world.staff):
        with pytest.raises(PermissionDenied):
            plan(world, partnership, actor=user)
        with pytest.raises(PermissionDenied):
            services.exchange_cancel(exchange=exchange, actor=user)
    with pytest.raises(ValidationError) as outside:
        plan(world, partnership, host_section=SectionFactory())
    assert "host_section" in outside.value.message_dict
    assert partnership.exchanges.count() == 1


def test_activation_asks_for_an_exchange_that_is_not_cancelled(world, partnership):
    partnership = make_ready(world, partnership)
    assert activation_gaps(partnership) == []

    for exchange in partnership.exchanges.all():
        services.exchange_cancel(exchange=exchange, actor=world.officer_b)

    assert [gap for gap in activation_gaps(partnership) if gap.startswith("Plan at least one exchange")]
    plan(world, partnership)
    assert activation_gaps(partnership) == []


def test_financial_support_alone_asks_for_no_exchange(world):
    partnership = make_ready(world, endorsed(world, forms=("financial-support",)))
    assert not partnership.exchanges.exists()
    # What financial support asks for is its own (a support agreement); no exchange is asked.
    gaps = activation_gaps(partnership)
    assert gaps and not [gap for gap in gaps if "exchange" in gap.lower()]


def test_the_sending_side_names_and_removes_people_and_no_history_keeps_them(world, partnership):
    exchange = plan(world, partnership)
    person = ExchangeParticipant(name="Zoe Student", role="Intern", kind="student", email="zoe@example.org")
    with pytest.raises(PermissionDenied):
        services.exchange_participant_add(exchange=exchange, actor=world.officer_b, participant=person)
    person = services.exchange_participant_add(exchange=exchange, actor=world.officer_a, participant=person)

    with pytest.raises(PermissionDenied):
        services.exchange_participant_remove(exchange=exchange, actor=world.officer_b, participant=person)
    services.exchange_participant_remove(exchange=exchange, actor=world.officer_a, participant=person)

    assert not ExchangeParticipant.objects.exists()
    assert not hasattr(ExchangeParticipant, "history")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [table for table in tables if "historicalexchangeparticipant" in table]


def test_people_are_removed_on_request_even_once_the_exchange_is_cancelled(world, partnership):
    exchange = plan(world, partnership)
    person = services.exchange_participant_add(
        exchange=exchange, actor=world.officer_a, participant=ExchangeParticipant(name="Al", role="Mentor", kind="member"),
    )
    services.exchange_cancel(exchange=exchange, actor=world.officer_a)

    services.exchange_participant_remove(exchange=exchange, actor=world.officer_a, participant=person)

    assert not exchange.participants.exists()


# Pages ------------------------------------------------------------------------------------


def _page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_the_partnership_page_lists_exchanges_and_offers_to_plan_one(client, world, partnership):
    exchange = plan(world, partnership)

    page = _page(client, world.officer_b, partnership.get_absolute_url())
    assert "Plan an exchange" in page
    assert exchange.get_absolute_url() in page
    assert "Alpha Section → Beta Section" in page
    assert "Plan an exchange" not in _page(client, world.coordinator_a, partnership.get_absolute_url())


def test_no_exchange_panel_for_a_partnership_without_exchange_forms(client, world):
    partnership = endorsed(world, forms=("financial-support",))
    assert 'id="exchanges"' not in _page(client, world.officer_a, partnership.get_absolute_url())


def test_names_are_shown_to_officers_and_coordinators_only(client, world, partnership):
    exchange = plan(world, partnership)
    services.exchange_participant_add(
        exchange=exchange, actor=world.officer_a,
        participant=ExchangeParticipant(name="Zoe Student", role="Intern", kind="student", email="zoe@example.org"),
    )
    for user in (world.officer_a, world.officer_b, world.coordinator_a, world.coordinator_b):
        assert "zoe@example.org" in _page(client, user, exchange.get_absolute_url())
    admin_page = _page(client, UserFactory(society_admin=True), exchange.get_absolute_url())
    assert "Zoe Student" not in admin_page and "zoe@example.org" not in admin_page
    assert "1 person takes part." in admin_page


def test_planning_a_two_way_exchange_through_the_form(client, world, partnership):
    client.force_login(world.officer_a)
    response = client.post(f"/partnerships/{partnership.pk}/exchanges/add/", {
        "title": "Lab weeks", "kind": "student-training", "sending_section": world.a.pk,
        "host_section": world.b.pk, "start_date": "2026-06-01", "end_date": "2026-06-21",
        "two_way": "on", "return_start_date": "2026-09-01", "return_end_date": "2026-09-21",
    })

    out = partnership.exchanges.get(title="Lab weeks")
    assert response.status_code == 302 and response["Location"] == out.get_absolute_url()
    assert out.return_leg.host_section == world.a


@pytest.mark.parametrize(("data", "field"), [
    ({"start_date": "soon"}, "start_date"),
    ({"end_date": "2026-05-01"}, "end_date"),
    ({"host_section": "alpha"}, "host_section"),
    ({"host_section": str(2**63)}, "host_section"),
    ({"two_way": "on"}, "return_start_date"),
    ({"two_way": "on", "return_start_date": "2026-09-09", "return_end_date": "2026-09-01"}, "return_end_date"),
    ({"title": "x" * 201}, "title"),
    ({"title": "a\x00b"}, "title"),
    ({"kind": "holiday"}, "kind"),
])
def test_hostile_exchange_input_gives_field_errors(client, world, partnership, data, field):
    client.force_login(world.officer_a)
    values = {
        "title": "Lab weeks", "kind": "student-training", "sending_section": world.a.pk,
        "host_section": world.b.pk, "start_date": "2026-06-01", "end_date": "2026-06-21",
    }
    values.update(data)
    response = client.post(f"/partnerships/{partnership.pk}/exchanges/add/", values)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not partnership.exchanges.exists()


def test_the_same_section_cannot_host_and_send(client, world, partnership):
    client.force_login(world.officer_a)
    response = client.post(f"/partnerships/{partnership.pk}/exchanges/add/", {
        "title": "Alone", "kind": "technical", "sending_section": world.a.pk, "host_section": world.a.pk,
        "start_date": "2026-06-01", "end_date": "2026-06-02",
    })
    assert "host_section" in response.context["form"].errors


def test_an_exchange_of_another_partnership_is_not_found(client, world, partnership):
    exchange = plan(world, partnership)
    third = OfficerFactory(section__district=world.b.district).section
    other = propose(world, partner_sections=[third], title="Alpha and Gamma")
    elsewhere = plan(world, other, host_section=third)
    client.force_login(world.officer_a)
    for step in ("", "edit/", "done/"):
        assert client.get(f"/partnerships/{partnership.pk}/exchanges/{elsewhere.pk}/{step}").status_code == 404
    for step in ("confirm/", "cancel/", "participants/add/"):
        assert client.post(f"/partnerships/{partnership.pk}/exchanges/{elsewhere.pk}/{step}").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Exchange.Status.PLANNED
    client.force_login(world.outsider)
    assert client.get(exchange.get_absolute_url()).status_code == 404


def test_the_edit_form_shows_each_side_its_own_fields(client, world, partnership):
    exchange = plan(world, partnership)
    url = f"/partnerships/{partnership.pk}/exchanges/{exchange.pk}/edit/"
    client.force_login(world.officer_b)
    assert set(client.get(url).context["form"].fields) == {"programme"}
    client.force_login(world.officer_a)
    assert set(client.get(url).context["form"].fields) == {"title", "kind", "start_date", "end_date"}
    response = client.post(url, {"title": "Lab weeks", "kind": "technical", "start_date": "2026-06-09", "end_date": "2026-06-01"})
    assert "end_date" in response.context["form"].errors


def test_confirm_by_the_sending_side_is_refused_and_a_participant_added_by_post(client, world, partnership):
    exchange = plan(world, partnership)
    base = f"/partnerships/{partnership.pk}/exchanges/{exchange.pk}"
    client.force_login(world.officer_a)
    assert client.post(f"{base}/confirm/").status_code == 403
    response = client.post(f"{base}/participants/add/", {"name": "", "role": "Intern", "kind": "alien", "email": "nope"})
    assert response.status_code == 200
    assert set(response.context["participant_form"].errors) == {"name", "kind", "email"}
    client.post(f"{base}/participants/add/", {"name": "Zoe", "role": "Intern", "kind": "student"})
    assert exchange.participants.get().name == "Zoe"
    client.force_login(world.officer_b)
    assert client.post(f"{base}/participants/add/", {"name": "Eve", "role": "Spy", "kind": "member"}).status_code == 403
    assert client.post(f"{base}/confirm/").status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CONFIRMED


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more(world, partnership, count: int) -> Exchange:
    for n in range(count):
        exchange = plan(world, partnership, title=f"Visit {n}", two_way=True)
        for m in range(2):
            services.exchange_participant_add(
                exchange=exchange, actor=world.officer_a,
                participant=ExchangeParticipant(name=f"P{n}{m}", role="Student", kind="student"),
            )
        services.exchange_update(exchange=exchange, actor=world.officer_b, changes={"programme": f"Agenda {n}"})
    return exchange


@pytest.mark.parametrize("role", ["officer_a", "coordinator_b"])
def test_exchange_pages_keep_a_fixed_number_of_queries(client, django_assert_num_queries, world, partnership, role):
    client.force_login(getattr(world, role))
    exchange = _more(world, partnership, 1)
    page_queries = _queries(client, partnership.get_absolute_url())
    _more(world, partnership, 6)
    assert _queries(client, partnership.get_absolute_url()) == page_queries
    for n in range(5):
        services.exchange_participant_add(
            exchange=exchange, actor=world.officer_a,
            participant=ExchangeParticipant(name=f"More {n}", role="Student", kind="student"),
        )
    # Session, user, offices, coordinations, the partnership, its sections, the exchange,
    # who goes (or how many), its history.
    with django_assert_num_queries(8):
        client.get(exchange.get_absolute_url())
