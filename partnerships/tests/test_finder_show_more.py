"""The finder page shows the first 20 suggestions and the true total; "Show more" is a plain
link (?show=40) that works without JavaScript, keeps the filters and lands on the first new
suggestion; a shortlisted suggestion further down is linked with enough of them shown. The
page's queries are pinned, with profiles cached and without."""

from __future__ import annotations

import re

import pytest

from partnerships import finder
from sections.models import FinderDecision, Language, Section
from sections.tests.factories import OfficerFactory, SectionFactory

pytestmark = pytest.mark.django_db

FINDER = "/sections/home/partners/"
# Session and user, the section and the viewer's rights, decisions, the filter form's
# choices, the ranking (weights, current load, partners), dismissed sections, panels.
PAGE_QUERIES_WARM = 11
PAGE_QUERIES_COLD = PAGE_QUERIES_WARM + 3  # the profiles: columns, relations, languages


@pytest.fixture
def home() -> Section:
    section = SectionFactory(name="Home", slug="home", country="NL", time_zone="Europe/Amsterdam")
    section.working_languages.set(Language.objects.filter(code="en"))
    return section


@pytest.fixture
def officer(client, home):
    user = OfficerFactory(section=home).user
    client.force_login(user)
    return user


def _candidates(count: int, *, start: int = 0) -> list[Section]:
    """`count` candidates; the first three share a language with home, so they rank first."""
    english = Language.objects.get(code="en")
    made = []
    for number in range(start, start + count):
        section = SectionFactory(
            name=f"Candidate {number:02d}", slug=f"candidate-{number:02d}", country="KE", time_zone="Africa/Nairobi",
        )
        OfficerFactory(section=section)
        if number < 3:
            section.working_languages.add(english)
        made.append(section)
    return made


def _shown(response) -> list[str]:
    return [match.candidate.name for match in response.context["matches"]]


def _more_link(page: str) -> str | None:
    found = re.search(r'href="([^"]*)"[^>]*>Show (\d+) more', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_first_twenty_show_with_the_true_total_and_a_link_to_more(client, officer):
    _candidates(25)

    response = client.get(FINDER)

    page = response.content.decode()
    assert "25 suggestions" in page
    assert "Showing 1–20, best first." in page
    assert len(_shown(response)) == 20
    ranked = [match.candidate.name for match in finder.rank(Section.objects.get(slug="home"), finder.Criteria())]
    assert _shown(response) == ranked[:20]
    assert re.search(r">Show 5 more<", page)
    assert _more_link(page) == f"?show=40#match-{ranked[20].lower().replace(' ', '-')}"


def test_following_show_more_shows_the_rest_and_keeps_the_filters(client, officer):
    _candidates(25)
    OfficerFactory(section=SectionFactory(name="Student section", slug="student-section", country="KE", kind="student"))

    first = client.get(f"{FINDER}?kind=professional&min_score=1").content.decode()
    link = _more_link(first)
    response = client.get(f"{FINDER}{link.split('#')[0]}")

    assert link.startswith("?kind=professional&min_score=1&show=40#match-")
    page = response.content.decode()
    assert "25 suggestions" in page and "Showing 1–25, best first." in page
    assert len(_shown(response)) == 25
    assert _more_link(page) is None
    assert list(response.context["messages"]) == []  # `show` is no filter to complain about


@pytest.mark.parametrize(("show", "expected"), [("abc", 20), ("-5", 20), ("0", 20), ("21", 40), ("999999999", 45)])
def test_any_show_value_gives_a_page(client, officer, show, expected):
    _candidates(45)

    response = client.get(f"{FINDER}?show={show}")

    assert response.status_code == 200
    assert len(_shown(response)) == expected


def test_a_shortlisted_suggestion_beyond_the_page_links_to_where_it_shows(client, officer, home):
    candidates = _candidates(45)
    ranked = [match.candidate.slug for match in finder.rank(home, finder.Criteria())]
    far = next(section for section in candidates if section.slug == ranked[30])
    near = next(section for section in candidates if section.slug == ranked[0])
    for section in (far, near):
        FinderDecision.objects.create(section=home, candidate=section, kind="shortlisted")

    page = client.get(FINDER).content.decode()

    shortlist = page[page.index("Your shortlist"):page.index('id="h-suggestions"')]
    assert f'href="#match-{near.slug}"' in shortlist
    assert f'href="?show=40#match-{far.slug}"' in shortlist


def test_the_page_takes_the_same_queries_at_any_size_cached_or_not(client, officer, django_assert_num_queries):
    _candidates(5)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        client.get(FINDER)
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        client.get(FINDER)

    _candidates(60, start=5)
    with django_assert_num_queries(PAGE_QUERIES_COLD):
        response = client.get(f"{FINDER}?show=60")
    with django_assert_num_queries(PAGE_QUERIES_WARM):
        client.get(f"{FINDER}?show=60")
    assert len(_shown(response)) == 60
