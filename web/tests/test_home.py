"""The officer's home: their partnerships with health, what comes next and who acts, and a
to-do list; the coordinator's and the society admin's ways to their dashboards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from evaluation.services.closing import evaluation_confirm
from evaluation.tests.closing_helpers import filled, publish_lesson
from partnerships.models import Participant
from partnerships.tests.conftest import propose
from sections.models import Officer, TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory, TechnicalInterestFactory

from .helpers import running, with_partner

pytestmark = pytest.mark.django_db


def _row(page: str, partnership) -> str:
    start = page.index(f'data-partnership="{partnership.pk}"')
    return page[start:page.index("</tr>", start)]


def test_officer_sees_each_partnership_with_its_health_what_is_next_and_who_acts(client, world):
    (partnership,) = running(world)
    other = with_partner(world, "Gamma")
    proposal = propose(world, partner_sections=[other.b], title="Alpha and Gamma")
    closed = propose(world, partner_sections=[with_partner(world, "Delta").b], title="Withdrawn idea")
    closed.status = "withdrawn"
    closed.save(update_fields=["status"])
    client.force_login(world.officer_a)

    page = client.get("/").content.decode()

    assert "Your partnerships" in page and "Withdrawn idea" not in page
    row = _row(page, partnership)
    assert "Active" in row and "On track" in row
    # Check-ins were due from May on: both sides are late with the first one.
    assert "File the check-in" in row and "overdue" in row and "Alpha Section, Beta Section" in row
    checkin = partnership.periods.get(number=0).checkins.get(section=world.a)
    assert f"/partnerships/{partnership.pk}/check-ins/{checkin.pk}/" in row
    row = _row(page, proposal)
    assert "Proposed" in row and "Accept or decline the proposal" in row and "Gamma Section" in row
    # The answer is Gamma's to give: Alpha's officer is sent to the partnership, not the answer form.
    assert f"/partnerships/{proposal.pk}/answer/" not in page


def test_a_partners_draft_is_not_listed_and_an_accepted_one_waits_for_the_coordinators(client, world):
    gamma = SectionFactory(name="Gamma Section", district=world.b.district)
    gamma_officer = OfficerFactory(section=gamma).user
    draft = propose(world, partner_sections=[gamma], title="Alpha's sketch", submit=False)
    accepted = propose(world, title="Agreed")
    Participant.objects.filter(partnership=accepted).update(response=Participant.Response.ACCEPTED)
    accepted.status = "accepted"
    accepted.save(update_fields=["status"])

    client.force_login(gamma_officer)
    assert "Alpha&#x27;s sketch" not in client.get("/").content.decode()

    client.force_login(world.officer_a)
    page = client.get("/").content.decode()
    assert "Send the proposal" in _row(page, draft)
    assert "District coordinator of District A, District coordinator of District B" in _row(page, accepted)


def test_to_do_lists_evaluations_to_confirm_until_the_section_confirms(client, world):
    (partnership,) = running(world)
    evaluation = filled(world, partnership)
    url = f"/partnerships/{partnership.pk}/evaluation/final/"
    client.force_login(world.officer_a)
    page = client.get("/").content.decode()
    assert "Evaluations to confirm" in page and url in page

    publish_lesson(partnership, world.a, world.officer_a)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    assert "Evaluations to confirm" not in client.get("/").content.decode()
    client.force_login(world.officer_b)
    assert url in client.get("/").content.decode()


def test_to_do_asks_for_a_lead_when_the_sections_lead_left_office(client, world):
    (partnership,) = running(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Officer.objects.filter(user=world.officer_b, section=world.b).update(end_date=yesterday)
    successor = OfficerFactory(section=world.b, role="secretary").user
    client.force_login(successor)
    page = client.get("/").content.decode()
    assert "Leads to name" in page and "Beta Section has no lead in office" in page
    assert f"/partnerships/{partnership.pk}/#leads" in page

    client.force_login(world.officer_a)
    assert "Leads to name" not in client.get("/").content.decode()


def test_coordinators_and_admins_are_shown_their_dashboards(client, world):
    client.force_login(world.coordinator_a)
    page = client.get("/").content.decode()
    assert 'href="/dashboard/"' in page and "Districts you coordinate" in page
    assert f'href="/dashboard/?district={world.a.district.code}"' in page
    client.force_login(world.staff)
    assert 'href="/dashboard/society/"' in client.get("/").content.decode()
    client.force_login(world.officer_a)
    page = client.get("/").content.decode()
    assert 'href="/dashboard/' not in page and "Your partnerships" not in page


@pytest.mark.parametrize("count", [1, 4])
def test_officer_home_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries, count):
    partnerships = running(world, count)
    filled(world, partnerships[0])
    client.force_login(world.officer_a)
    # 14: "Waiting for you" shows the first ten and counts them all in one query; the sides left
    # without a lead are one query, the user's offices and districts one, no district is read
    # for an officer who coordinates none, and what the sections' profiles lack is asked in their
    # own query.
    with django_assert_num_queries(14):
        page = client.get("/").content.decode()
    assert page.count("data-partnership=") == count


def test_each_section_card_names_what_its_profile_lacks(client):
    bare = SectionFactory(name="Bare", interests=[], contact_email="")
    full = SectionFactory(name="Full", interests=[TechnicalInterestFactory()], contact_email="full@example.org")
    grow = TwinningForm.objects.get(code="growing-section")
    full.offers_forms.add(grow)
    full.needs_forms.add(grow)
    bare.needs_forms.add(grow)
    user = OfficerFactory(section=bare).user
    OfficerFactory(section=full, user=user)
    client.force_login(user)

    page = client.get("/").content.decode()

    bare_card = page[page.index(">Bare</a>"):page.index(">Full</a>")]
    full_card = page[page.index(">Full</a>"):]
    assert "add technical interests, what you can offer, a contact email." in bare_card
    assert "Complete the profile" not in full_card and "Keep the profile up to date" in full_card
