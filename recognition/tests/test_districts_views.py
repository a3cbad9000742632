"""The district page: its sections ranked by the year's points, their partnerships, its
citations, and the coordinators' form to recognise a section."""

from __future__ import annotations

import re

import pytest

from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import DistrictRecognition
from sections.tests.factories import SectionFactory
from twinning.models import OutgoingMail

from .districts_helpers import entry

pytestmark = pytest.mark.django_db

URL = "/recognition/districts/da/"


def _form(world, **overrides):
    data = {"section": world.a.slug, "year": "2026", "category": "most-active", "citation": "Three exchanges."}
    data.update(overrides)
    return data


def _ranked(html: str) -> list[tuple[str, str, str]]:
    """Rank, section and points of each row of the district's table."""
    return re.findall(
        r'<tr data-section="[^"]+">\s*<td>(\d+)</td>\s*<td><a href="[^"]+">([^<]+)</a>.*?<td class="text-end fw-bold">(-?\d+)</td>',
        html, re.S,
    )


def test_sections_are_ranked_by_the_years_points(client, world):
    gamma = SectionFactory(name="Gamma Section", district=world.a.district)
    entry(world.a, 10, year=2026)
    entry(gamma, 25, year=2026)
    entry(world.a, 100, year=2025)  # another year: not counted
    entry(world.b, 500, year=2026)  # another district: not listed
    client.force_login(world.outsider)

    response = client.get(URL + "?year=2026")

    assert response.status_code == 200
    html = response.content.decode()
    assert _ranked(html) == [("1", "Gamma Section", "25"), ("2", "Alpha Section", "10")]
    assert f'<a href="/sections/{gamma.slug}/">Gamma Section</a>' in html
    assert "Beta Section" not in html


def test_a_sections_partnerships_are_counted_by_status(client, world):
    endorsed(world)
    client.force_login(world.outsider)

    html = client.get(URL).content.decode()

    alpha = re.search(rf'<tr data-section="{world.a.slug}">(.*?)</tr>', html, re.S)[1]
    partnerships = re.findall(r"<td>(.*?)</td>", alpha, re.S)[-1]
    assert " ".join(re.sub(r"<[^>]+>", " ", partnerships).split()) == "1: Endorsed 1"
    assert '<span class="badge text-bg-light border">Endorsed 1</span>' in partnerships


def test_only_the_coordinator_gets_the_form(client, world):
    client.force_login(world.officer_a)
    assert b"Recognise a section" not in client.get(URL).content
    client.force_login(world.coordinator_a)
    assert b"Recognise a section" in client.get(URL).content


def test_a_coordinator_recognises_and_the_citation_shows_on_both_pages(client, world):
    client.force_login(world.coordinator_a)

    response = client.post(URL + "recognise/", _form(world), follow=True)

    assert response.redirect_chain[-1][0] == URL + "?year=2026#citations"
    page = response.content.decode()
    assert "Alpha Section is recognised" in page
    assert "Three exchanges." in page
    assert OutgoingMail.objects.filter(to=world.officer_a.email).exists()
    profile = client.get(world.a.get_absolute_url()).content.decode()
    assert "Recognised by the district" in profile
    assert "Three exchanges." in profile


def test_the_profile_has_no_panel_without_recognition(client, world):
    client.force_login(world.outsider)
    assert b"Recognised by the district" not in client.get(world.a.get_absolute_url()).content


def test_a_repeat_comes_back_with_the_field_error(client, world):
    client.force_login(world.coordinator_a)
    client.post(URL + "recognise/", _form(world))

    response = client.post(URL + "recognise/", _form(world, citation="Again"))

    assert response.status_code == 200
    assert "already recognised" in response.context["form"].errors["category"][0]
    assert DistrictRecognition.objects.count() == 1


def test_a_refused_recognition_comes_back_with_the_section_chosen(client, world):
    gamma = SectionFactory(name="Gamma Section", district=world.a.district)
    client.force_login(world.coordinator_a)

    html = client.post(URL + "recognise/", _form(world, section=gamma.slug, citation="")).content.decode()

    select = re.search(r'<select name="section".*?</select>', html, re.S)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert [(value, label) for value, _selected, label in options if value] == [
        (world.a.slug, "Alpha Section"), (gamma.slug, "Gamma Section"),
    ]
    assert [value for value, selected, _label in options if selected] == [gamma.slug]


@pytest.mark.parametrize(
    "hostile",
    [
        {"section": "beta"},  # another district's section
        {"section": "no-such"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"category": "best-ever"},
        {"citation": ""},
        {"citation": "x" * 6000},
    ],
)
def test_bad_input_gives_field_errors(client, world, hostile):
    client.force_login(world.coordinator_a)

    response = client.post(URL + "recognise/", _form(world, **hostile))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DistrictRecognition.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "coordinator_b", "outsider"])
def test_others_are_refused(client, world, who):
    client.force_login(getattr(world, who))

    assert client.post(URL + "recognise/", _form(world)).status_code == 403
    assert not DistrictRecognition.objects.exists()


@pytest.mark.parametrize("year", ["", "abc", "0", "-1", "99999999999999999999", "2026\x00"])
def test_a_hostile_year_falls_back_without_a_crash(client, world, year):
    client.force_login(world.outsider)
    assert client.get(URL, {"year": year}).status_code in (200, 400)


def test_an_unknown_district_is_404(client, world):
    client.force_login(world.outsider)
    assert client.get("/recognition/districts/nowhere/").status_code == 404


def test_the_district_page_queries_do_not_grow_with_sections(client, world, django_assert_num_queries):
    DistrictRecognition.objects.create(
        district=world.a.district, section=world.a, year=2026, category="mentor", citation="Helps.",
    )
    client.force_login(world.coordinator_a)
    client.get(URL)  # warm the content-type cache

    def count():
        with django_assert_num_queries(QUERIES):
            assert client.get(URL).status_code == 200

    count()
    for n in range(5):
        section = SectionFactory(district=world.a.district)
        entry(section, n + 1)
        DistrictRecognition.objects.create(
            district=world.a.district, section=section, year=2026, category="mentor", citation="Helps.",
        )
    count()


# Session and user (2), the district (1), the coordinator's role (1), the years (1), the
# ranking (1), the partnerships by status (1), the citations (1), the form's section choices (1),
# the reader's time zone, their section's as they chose none (1).
QUERIES = 10
