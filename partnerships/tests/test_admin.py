"""The partnership admin answers in a fixed number of queries however many partnerships,
participants and inline rows there are, and its search finds a partnership by a participating
section's name, once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Endorsement, Lead, Partnership, Transition
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from sections.models import TwinningForm
from sections.tests.factories import DistrictFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/partnerships/partnership/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # fills what a process caches once (content types, the session)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _partnerships(count: int, *, title: str = "Shared work") -> list[Partnership]:
    made = []
    for _ in range(count):
        partnership = PartnershipFactory(title=title)
        ParticipantFactory(partnership=partnership, section=partnership.proposing_section)
        ParticipantFactory(partnership=partnership)
        made.append(partnership)
    return made


def _inline_rows(partnership: Partnership, count: int) -> None:
    """`count` rows in each inline that names other records: participants, leads,
    endorsements and status changes."""
    for _ in range(count):
        participant = ParticipantFactory(partnership=partnership)
        person = UserFactory()
        Lead.objects.create(partnership=partnership, section=participant.section, user=person)
        Endorsement.objects.create(partnership=partnership, district=DistrictFactory(), endorsed_by=person)
        Transition.objects.create(partnership=partnership, from_status="proposed", to_status="active", actor=person)


def test_changelist_queries_do_not_grow_with_partnerships(admin_client):
    _partnerships(3)
    few, _page = _queries(admin_client, CHANGELIST)
    _partnerships(7)
    many, page = _queries(admin_client, CHANGELIST)
    assert many == few
    assert page.count(">Shared work</a>") == 10


def test_search_queries_do_not_grow_and_find_a_partnership_by_a_participants_section(admin_client):
    _partnerships(3)
    url = f"{CHANGELIST}?q=Harbour"
    few, _page = _queries(admin_client, url)
    _partnerships(7)
    wanted = PartnershipFactory(title="Bridge building")
    # Both sides match the word: the partnership is still listed once.
    ParticipantFactory(partnership=wanted, section=SectionFactory(name="Harbour City"))
    ParticipantFactory(partnership=wanted, section=SectionFactory(name="Old Harbour"))

    many, page = _queries(admin_client, url)

    assert many == few
    assert page.count(reverse("admin:partnerships_partnership_change", args=[wanted.pk])) == 1
    assert "Shared work" not in page


def test_search_needs_every_word_somewhere(admin_client):
    wanted = PartnershipFactory(title="Bridge building")
    ParticipantFactory(partnership=wanted, section=SectionFactory(name="Harbour City"))
    other = PartnershipFactory(title="Bridge repair")

    _count, page = _queries(admin_client, f"{CHANGELIST}?q=bridge+harbour")

    assert "Bridge building" in page
    assert other.title not in page


def test_search_reads_the_stored_search_text_whatever_the_accents(admin_client):
    wanted = PartnershipFactory(title="Água limpa", purpose="Clean water for the Río school")
    ParticipantFactory(partnership=wanted, section=SectionFactory(name="Bogotá Norte"))
    change = reverse("admin:partnerships_partnership_change", args=[wanted.pk])

    for typed in ("agua", "BOGOTA norte", "rio school"):
        _count, page = _queries(admin_client, f"{CHANGELIST}?q={typed}")
        assert page.count(change) == 1, typed


def test_district_and_form_filters_list_partnerships_once(admin_client):
    district = DistrictFactory(name="North Sea")
    form = TwinningForm.objects.order_by("position").first()
    wanted = PartnershipFactory(title="In the district")
    wanted.forms.add(form)
    # Two participating sections in the district: still one row.
    ParticipantFactory(partnership=wanted, section=SectionFactory(district=district))
    ParticipantFactory(partnership=wanted, section=SectionFactory(district=district))
    elsewhere = PartnershipFactory(title="Elsewhere")
    elsewhere.forms.add(form)
    ParticipantFactory(partnership=elsewhere)

    _count, page = _queries(admin_client, f"{CHANGELIST}?district={district.pk}&form={form.pk}")

    assert page.count(reverse("admin:partnerships_partnership_change", args=[wanted.pk])) == 1
    assert "Elsewhere" not in page
    assert admin_client.get(f"{CHANGELIST}?district=north").status_code == 200


def test_change_form_queries_do_not_grow_with_inline_rows(admin_client):
    partnership = PartnershipFactory()
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    _inline_rows(partnership, 3)
    few, _page = _queries(admin_client, url)
    _inline_rows(partnership, 7)

    many, page = _queries(admin_client, url)

    assert many == few
    # Each row's autocomplete still shows the row's own section and person, chosen.
    for lead in Lead.objects.filter(partnership=partnership).select_related("section", "user"):
        assert f'<option value="{lead.section.pk}" selected>{lead.section.name}</option>' in page
        assert f'<option value="{lead.user.pk}" selected>{lead.user}</option>' in page


def test_admin_index_and_app_pages_still_list_the_models(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert CHANGELIST in index
    assert CHANGELIST in admin_client.get("/admin/partnerships/").content.decode()
    assert admin_client.get("/admin/nothing-here/").status_code == 404


def test_change_form_shows_the_proposal_chosen_without_reading_it_again(admin_client, django_assert_num_queries):
    """The proposing section and the proposer come with the partnership; the facilitators
    left empty cost nothing."""
    partnership = PartnershipFactory()
    proposer = UserFactory(full_name="Pat Proposer")
    Partnership.objects.filter(pk=partnership.pk).update(proposed_by=proposer)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    admin_client.get(url)  # fills what a process caches once (content types, the session)

    # 14 with the reader's time zone: the page shows times, and the admin chose no zone.
    with django_assert_num_queries(14):
        page = admin_client.get(url).content.decode()

    section = partnership.proposing_section
    assert f'<option value="{section.pk}" selected>{section.name}</option>' in page
    assert f'<option value="{proposer.pk}" selected>{proposer}</option>' in page
