"""Pages that list things keep a fixed number of queries however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sections.models import TwinningForm
from sections.tests.factories import (
    CoordinatorFactory,
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
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
