"""Pages that list things keep a fixed number of queries however much data there is."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sections.models import TwinningForm
from sections.tests.factories import (
    CoordinatorFactory,
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
from sections.services import invitation_create
from twinning.models import OutgoingMail
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _make_sections(count: int, district=None) -> list:
    interests = [TechnicalInterestFactory() for _ in range(3)]
    grow = TwinningForm.objects.get(code="growing-section")
    sections = []
    for _ in range(count):
        section = SectionFactory(interests=interests, **({"district": district} if district else {}))
        section.offers_forms.add(grow)
        section.needs_forms.add(grow)
        OfficerFactory(section=section)
        sections.append(section)
    return sections


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/sections/", "/sections/?country=NL&sort=-members", "/sections/?page=2"])
def test_directory_queries_do_not_grow_with_sections(client, url):
    client.force_login(UserFactory())
    _make_sections(21)
    few = _queries(client, url)
    _make_sections(30)
    assert _queries(client, url) == few


def test_profile_queries_do_not_grow_with_officers_or_interests(client):
    client.force_login(UserFactory())
    section = _make_sections(1)[0]
    few = _queries(client, section.get_absolute_url())
    for _ in range(10):
        OfficerFactory(section=section)
        section.interests.add(TechnicalInterestFactory())
    assert _queries(client, section.get_absolute_url()) == few


def test_home_queries_do_not_grow_with_sections_or_districts(client):
    user = UserFactory()
    client.force_login(user)
    district = DistrictFactory()
    CoordinatorFactory(user=user, district=district)
    OfficerFactory(user=user, section=_make_sections(1, district)[0])
    few = _queries(client, "/")
    for section in _make_sections(10, district):
        OfficerFactory(user=user, section=section, role="secretary")
    CoordinatorFactory(user=user, district=DistrictFactory())
    assert _queries(client, "/") == few


def _invite(chair, count: int) -> list[str]:
    """`count` open invitations to the chair's section; the tokens their mails carry."""
    tokens = []
    for _ in range(count):
        invitation = invitation_create(
            actor=chair.user, section=chair.section, email=UserFactory.build().email, role="treasurer",
            start_date=timezone.localdate(),
        )
        text = OutgoingMail.objects.filter(to=invitation.email).latest("pk").text
        tokens.append(re.search(r"/accounts/invitation/([\w-]+)/", text).group(1))
    return tokens


def test_the_section_page_with_its_invitations_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    chair = OfficerFactory(section=_make_sections(1)[0])
    client.force_login(chair.user)
    _invite(chair, 1)
    with django_assert_num_queries(QUERIES_SECTION_PAGE_WITH_INVITATIONS):
        assert client.get(chair.section.get_absolute_url()).status_code == 200
    _invite(chair, 10)
    with django_assert_num_queries(QUERIES_SECTION_PAGE_WITH_INVITATIONS):
        page = client.get(chair.section.get_absolute_url())
    assert page.content.decode().count("Re-send") == 11


def test_the_invite_form_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    chair = OfficerFactory(section=_make_sections(1)[0])
    client.force_login(chair.user)
    with django_assert_num_queries(QUERIES_INVITE_FORM):
        assert client.get(f"/sections/{chair.section.slug}/invitations/new/").status_code == 200


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_invitees_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries, signed_in):
    chair = OfficerFactory(section=_make_sections(1)[0])
    [token] = _invite(chair, 1)
    if signed_in:
        client.force_login(UserFactory())
    with django_assert_num_queries(QUERIES_INVITEE_PAGE[signed_in]):
        assert client.get(f"/accounts/invitation/{token}/").status_code == 200


# The section page: the session and user, the section with its officers and profile lists (one
# query a table: languages, technical interests, forms), the signed-in user's roles, the panels
# of higher apps, and one query for the open invitations.
QUERIES_SECTION_PAGE_WITH_INVITATIONS = 12
# The session and user, the user's offices and coordinations (one query), the section.
QUERIES_INVITE_FORM = 4
# The invitation (with its section and inviter), and whether the address has an account; signed
# in with another address, the session and user instead of that question.
QUERIES_INVITEE_PAGE = {False: 2, True: 3}


# The session and user, the section, the user's roles, the three tables the boxes and the list of
# languages choose from,
# and what the section chose (one query for its six lists).
QUERIES_EDIT_FORM = 8


def test_the_edit_form_ticks_what_the_section_chose_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    interests = [TechnicalInterestFactory() for _ in range(4)]
    chosen, offered, needed = interests[0], interests[1], interests[2]
    section = SectionFactory(interests=[chosen])
    section.offers_topics.add(offered)
    section.needs_topics.add(needed)
    section.offers_forms.add(TwinningForm.objects.get(code="growing-section"))
    section.working_languages.set(section.working_languages.model.objects.filter(code="en"))
    office = OfficerFactory(section=section)
    client.force_login(office.user)
    with django_assert_num_queries(QUERIES_EDIT_FORM):
        page = client.get(f"/sections/{section.slug}/edit/").content.decode()
    ticked = set(re.findall(r'<input type="checkbox"[^>]* name="(\w+)" value="([^"]+)"[^>]*checked>', page))
    grow = TwinningForm.objects.get(code="growing-section")
    assert ticked == {
        ("interests", str(chosen.pk)), ("offers_topics", str(offered.pk)), ("needs_topics", str(needed.pk)),
        ("offers_forms", str(grow.pk)),
    }
    # The languages are one list box (about 130 of them), English chosen in it.
    languages = re.search(r'<select name="working_languages"[^>]*multiple[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="(\w+)" selected>', languages) == ["en"]
    # Every box is there to tick, in each list: the interests three times, the forms twice.
    for name in ("interests", "offers_topics", "needs_topics"):
        assert all(f'name="{name}" value="{interest.pk}"' in page for interest in interests)
