"""The society admin keeps officers in the section's admin page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sections.models import Officer, TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory, TechnicalInterestFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _section_change_data(section, officers: list[dict]) -> dict:
    """The section change form as the admin posts it, with the given officer rows."""
    data = {
        "name": section.name,
        "slug": section.slug,
        "kind": section.kind,
        "district": section.district.pk,
        "country": section.country.code,
        "city": section.city,
        "time_zone": str(section.time_zone),
        "member_count": section.member_count,
        "maturity": section.maturity,
        "max_concurrent_partnerships": section.max_concurrent_partnerships,
        "officers-TOTAL_FORMS": len(officers),
        "officers-INITIAL_FORMS": 0,
        "officers-MIN_NUM_FORMS": 0,
        "officers-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(officers):
        for name, value in row.items():
            data[f"officers-{index}-{name}"] = value
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_two_rows_giving_one_person_the_same_office_for_overlapping_periods_are_refused(admin_client):
    section = SectionFactory()
    person = UserFactory(full_name="Nadia Chair")
    rows = [
        {"user": person.pk, "role": "chair", "start_date": "2024-01-01", "end_date": "2024-12-31"},
        {"user": person.pk, "role": "chair", "start_date": "2024-06-01", "end_date": ""},
    ]

    response = admin_client.post(
        reverse("admin:sections_section_change", args=[section.pk]), _section_change_data(section, rows)
    )

    assert response.status_code == 200
    assert "Nadia Chair is entered twice as Chair for overlapping periods." in response.content.decode()
    assert not Officer.objects.filter(section=section).exists()


def test_consecutive_terms_and_different_roles_in_one_save_are_accepted(admin_client):
    section = SectionFactory()
    person = UserFactory(full_name="Nadia Chair")
    rows = [
        {"user": person.pk, "role": "chair", "start_date": "2023-01-01", "end_date": "2023-12-31"},
        {"user": person.pk, "role": "chair", "start_date": "2024-01-01", "end_date": ""},
        {"user": person.pk, "role": "treasurer", "start_date": "2023-06-01", "end_date": ""},
    ]

    response = admin_client.post(
        reverse("admin:sections_section_change", args=[section.pk]), _section_change_data(section, rows)
    )

    assert response.status_code == 302, response.content.decode()
    assert sorted(Officer.objects.filter(section=section).values_list("role", "start_date")) == [
        ("chair", datetime.date(2023, 1, 1)),
        ("chair", datetime.date(2024, 1, 1)),
        ("treasurer", datetime.date(2023, 6, 1)),
    ]


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_section_changelist_queries_do_not_grow_with_sections(admin_client):
    SectionFactory.create_batch(3, country="BR")
    few, _page = _queries(admin_client, "/admin/sections/section/")
    SectionFactory.create_batch(7, country="BR")

    many, page = _queries(admin_client, "/admin/sections/section/")

    assert many == few
    # The country column names the country (from the code, without the 250 choices).
    assert page.count("<td class=\"field-country_name\">Brazil</td>") == 10


def test_section_change_form_queries_do_not_grow_with_officers(admin_client):
    section = SectionFactory()
    url = reverse("admin:sections_section_change", args=[section.pk])
    OfficerFactory.create_batch(3, section=section)
    admin_client.get(url)  # once before counting: the content types are cached per process
    few, _page = _queries(admin_client, url)
    OfficerFactory.create_batch(7, section=section)

    many, page = _queries(admin_client, url)

    assert many == few
    for officer in Officer.objects.filter(section=section).select_related("user"):
        assert f'<option value="{officer.user.pk}" selected>{officer.user}</option>' in page


def test_section_change_form_shows_the_profile_lists_read_table_by_table(admin_client, django_assert_num_queries):
    """The six lists of the profile choose among three tables, each read once; what the
    section chose comes in one query: each list shows its own choices selected."""
    interest, other_interest = TechnicalInterestFactory.create_batch(2)
    form = TwinningForm.objects.first()
    section = SectionFactory()
    section.interests.set([interest])
    section.needs_topics.set([other_interest])
    section.offers_forms.set([form])
    url = reverse("admin:sections_section_change", args=[section.pk])
    admin_client.get(url)  # once before counting: the content types are cached per process

    # 10 with the reader's time zone: the page shows times, and the admin chose no zone.
    with django_assert_num_queries(10):
        page = admin_client.get(url).content.decode()

    def selected(field: str) -> set[str]:
        select = re.search(rf'<select name="{field}".*?</select>', page, re.S).group(0)
        return set(re.findall(r'<option value="([^"]+)" selected>', select))

    assert selected("interests") == {str(interest.pk)}
    assert selected("needs_topics") == {str(other_interest.pk)}
    assert selected("offers_topics") == set()
    assert selected("offers_forms") == {str(form.pk)}
    assert selected("needs_forms") == set()
