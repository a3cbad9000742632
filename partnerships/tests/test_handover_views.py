"""The handover on the pages: the to-do on home and on the partnership page, the note page,
and a section with nobody in office marked where officers and coordinators look."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships import services
from partnerships.models import HandoverNote, LeadVacancy, Partnership
from sections.models import Officer
from sections.services import officer_end
from sections.tests.factories import OfficerFactory, SectionFactory

from .conftest import endorsed, propose
from .test_views import _proposal_data

pytestmark = pytest.mark.django_db


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def handed_over(world):
    """Ann led for Alpha and her office ended yesterday; Cleo, Alpha's treasurer, remains."""
    partnership = endorsed(world)
    services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=world.officer_a)
    services.handover_note_write(
        partnership=partnership, actor=world.officer_a, section=world.a, text="Call Ben before the summer."
    )
    successor = OfficerFactory(section=world.a, role=Officer.Role.TREASURER, user__full_name="Cleo Alpha").user
    officer_end(
        officer=Officer.objects.get(user=world.officer_a, section=world.a), end_date=_yesterday(), actor=world.staff
    )
    return partnership, successor


def test_the_remaining_officer_sees_the_todo_and_the_note_until_a_new_lead_is_named(client, world, handed_over):
    partnership, successor = handed_over
    client.force_login(successor)
    home = client.get("/").content.decode()
    assert "Ann Alpha left office in Alpha Section: name a new lead" in home
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Ann Alpha no longer holds an office in Alpha Section" in page
    assert "Call Ben before the summer." in page

    office = Officer.objects.get(user=successor, section=world.a)
    response = client.post(f"/partnerships/{partnership.pk}/leads/add/", {"officer": office.pk}, follow=True)

    assert "Cleo Alpha now leads for Alpha Section." in response.content.decode()
    assert "no longer holds an office" not in response.content.decode()
    assert "left office" not in client.get("/").content.decode()
    assert LeadVacancy.objects.get().resolved_by == successor


def test_the_other_side_sees_neither_the_todo_nor_the_note(client, world, handed_over):
    partnership, _successor = handed_over
    client.force_login(world.officer_b)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "no longer holds an office" not in page and "Call Ben" not in page
    assert "left office" not in client.get("/").content.decode()


class TestHandoverNotePage:
    def url(self, partnership, section) -> str:
        return f"/partnerships/{partnership.pk}/handover-note/{section.pk}/"

    def test_an_officer_writes_the_note_shown_on_the_partnership_page(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_b)
        assert "Handover note of Beta Section" in client.get(self.url(partnership, world.b)).content.decode()
        response = client.post(self.url(partnership, world.b), {"text": "The lab key is with the dean."}, follow=True)
        page = response.content.decode()
        assert "The handover note of Beta Section was saved." in page
        assert "The lab key is with the dean." in page
        note = HandoverNote.objects.get()
        assert (note.section, note.written_by) == (world.b, world.officer_b)

    @pytest.mark.parametrize("text", ["x" * 4001, "Before\x00after"], ids=["too-long", "null-character"])
    def test_hostile_input_gives_a_field_error_and_saves_nothing(self, client, world, text):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        response = client.post(self.url(partnership, world.a), {"text": text})
        assert response.status_code == 200
        assert response.context["form"].errors["text"]
        assert not HandoverNote.objects.exists()

    def test_the_other_side_is_refused_and_an_outsider_finds_nothing(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_b)
        assert client.post(self.url(partnership, world.a), {"text": "Mine now"}).status_code == 403
        client.force_login(world.outsider)
        assert client.get(self.url(partnership, world.a)).status_code == 404
        stranger = SectionFactory()
        client.force_login(world.officer_a)
        assert client.get(self.url(partnership, stranger)).status_code == 404
        assert not HandoverNote.objects.exists()

    def test_the_page_takes_a_fixed_number_of_queries(self, client, world, django_assert_num_queries):
        partnership = endorsed(world)
        services.handover_note_write(partnership=partnership, actor=world.officer_a, section=world.a, text="Notes")
        client.force_login(world.officer_a)
        with django_assert_num_queries(7):
            assert client.get(self.url(partnership, world.a)).status_code == 200


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _another_vacancy(world, n: int) -> Partnership:
    """Another partnership whose Alpha lead has left office."""
    partner = SectionFactory(district=world.b.district, name=f"Partner {n}")
    OfficerFactory(section=partner)
    leaver = OfficerFactory(section=world.a, role=Officer.Role.SECRETARY).user
    partnership = propose(world, partner_sections=[partner], title=f"Extra {n}")
    services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=leaver)
    officer_end(officer=Officer.objects.get(user=leaver), end_date=_yesterday(), actor=world.staff)
    return partnership


def test_home_and_partnership_page_queries_do_not_grow_with_vacancies(client, world, handed_over):
    partnership, successor = handed_over
    client.force_login(successor)
    _another_vacancy(world, 1)
    home, page = _count(client, "/"), _count(client, partnership.get_absolute_url())
    for n in range(2, 6):
        _another_vacancy(world, n)
    assert LeadVacancy.objects.count() == 6
    assert client.get("/").content.decode().count('data-testid="lead-vacancy"') == 6
    assert (_count(client, "/"), _count(client, partnership.get_absolute_url())) == (home, page)


class TestSectionWithoutOfficers:
    def test_its_profile_says_so(self, client, world):
        quiet = SectionFactory(name="Quiet Section", slug="quiet", district=world.b.district)
        client.force_login(world.officer_a)
        page = client.get("/sections/quiet/").content.decode()
        assert "No officer in office" in page and "cannot receive proposals" in page
        assert "No officer in office" not in client.get(f"/sections/{world.b.slug}/").content.decode()
        assert quiet.officers.count() == 0

    def test_the_district_dashboard_marks_it(self, client, world):
        SectionFactory(name="Quiet Section", slug="quiet", district=world.a.district)
        client.force_login(world.coordinator_a)
        page = client.get(f"/dashboard/?district={world.a.district.code}").content.decode()
        row = page[page.index('data-section="quiet"'):]
        assert "No officer in office" in row[: row.index("</tr>")]
        alpha = page[page.index('data-section="alpha"'):]
        assert "No officer in office" not in alpha[: alpha.index("</tr>")]

    def test_the_proposal_form_says_why_and_whom_to_contact(self, client, world):
        quiet = SectionFactory(name="Quiet Section", slug="quiet", district=world.b.district)
        client.force_login(world.officer_a)
        response = client.post("/partnerships/propose/alpha/", _proposal_data(world, partner=quiet.pk))
        assert response.status_code == 200
        [error] = response.context["form"].errors["partner"]
        assert "Quiet Section has no officer in office" in error
        assert world.coordinator_b.email in error
        assert not Partnership.objects.exists()


def test_the_admin_shows_handover_records_read_only(client):
    from twinning.tests.factories import UserFactory

    client.force_login(UserFactory(society_admin=True, is_staff=True))
    for model in ("leadvacancy", "handovernote"):
        page = client.get(f"/admin/partnerships/{model}/")
        assert page.status_code == 200
        assert f"/admin/partnerships/{model}/add/" not in page.content.decode()
        assert client.get(f"/admin/partnerships/{model}/add/").status_code == 403
