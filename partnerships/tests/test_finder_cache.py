"""The partner finder's static profiles, cached under each section's profile_version: the
database draws a new version on every change of what the finder keeps, by whatever path
(another process's raw SQL included), so a cached profile is never read past a change; an
unchanged society costs no profile query, and a new process reads them from the shared cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from partnerships import finder
from partnerships.finder import Criteria
from sections.models import PROFILE_VERSION_COLUMNS, Language, Section, TechnicalInterest, TwinningForm
from sections.tests.factories import DistrictFactory, OfficerFactory, SectionFactory, TechnicalInterestFactory

pytestmark = pytest.mark.django_db

# weights, the current load (one query), the partners; loading profiles adds three.
WARM_QUERIES, COLD_QUERIES = 3, 6


@pytest.fixture
def me() -> Section:
    section = SectionFactory(name="Home", slug="home", country="NL", time_zone="Europe/Amsterdam")
    section.working_languages.set(Language.objects.filter(code="en"))
    return section


def _candidate(name: str, **values) -> Section:
    values = {"country": "KE", "time_zone": "Africa/Nairobi", **values}
    section = SectionFactory(name=name, slug=name.lower().replace(" ", "-"), **values)
    OfficerFactory(section=section)
    return section


def _match(me: Section, name: str) -> finder.Match:
    return next(match for match in finder.rank(me, Criteria()) if match.candidate.name == name)


def _version(section: Section) -> int:
    return Section.objects.values_list("profile_version", flat=True).get(pk=section.pk)


def _new_process() -> None:
    """What a freshly started process holds: nothing of its own, only the shared cache."""
    finder._known.clear()
    finder._built.clear()


def _explained(matches: list[finder.Match]) -> list:
    return [(m.candidate.name, m.score, m.factors, m.past_partner, m.shortlisted) for m in matches]


def test_an_unchanged_society_loads_no_profile(me, django_assert_num_queries):
    for number in range(5):
        _candidate(f"Candidate {number}")
    with django_assert_num_queries(COLD_QUERIES):
        cold = finder.rank(me, Criteria())

    with django_assert_num_queries(WARM_QUERIES):
        warm = finder.rank(me, Criteria())

    assert _explained(warm) == _explained(cold)
    assert len(warm) == 5


def test_a_new_process_reads_the_profiles_from_the_shared_cache(me, django_assert_num_queries):
    _candidate("Candidate")
    first = finder.rank(me, Criteria())
    _new_process()

    with django_assert_num_queries(WARM_QUERIES):
        again = finder.rank(me, Criteria())

    assert _explained(again) == _explained(first)
    cache.clear()
    _new_process()
    with django_assert_num_queries(COLD_QUERIES):
        assert _explained(finder.rank(me, Criteria())) == _explained(first)


def test_one_changed_profile_is_loaded_alone(me, django_assert_num_queries):
    changed = _candidate("Changed")
    _candidate("Unchanged")
    finder.rank(me, Criteria())

    Section.objects.filter(pk=changed.pk).update(city="Mombasa")

    with django_assert_num_queries(COLD_QUERIES) as captured:
        assert _match(me, "Changed").candidate.city == "Mombasa"
    columns_query = next(query["sql"] for query in captured.captured_queries if '"city"' in query["sql"])
    assert str(changed.pk) in columns_query
    assert "IN" in columns_query  # only the changed section's row, not every section's


def test_a_change_by_raw_sql_in_another_process_is_seen_on_the_next_view(me):
    candidate = _candidate("Candidate")
    interest = TechnicalInterestFactory()
    me.interests.add(interest)
    assert _match(me, "Candidate").factors["interests"] == 0

    # Neither signals nor the ORM: only the database's triggers know of these changes.
    through = Section.interests.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {through} (section_id, technicalinterest_id) VALUES (%s, %s)", [candidate.pk, interest.pk]
        )
    assert _match(me, "Candidate").factors["interests"] == 1

    with connection.cursor() as cursor:
        cursor.execute("UPDATE sections_section SET maturity = 'established', name = 'Renamed' WHERE id = %s",
                       [candidate.pk])
    match = _match(me, "Renamed")
    assert (match.candidate.maturity, match.factors["maturity"]) == ("established", 0.5)

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {through} WHERE section_id = %s", [candidate.pk])
    assert _match(me, "Renamed").factors["interests"] == 0


CHANGES = {
    "name": "Another name",
    "slug": "another-slug",
    "kind": "student",
    "country": "BR",
    "city": "Recife",
    "maturity": "established",
    "time_zone": "America/Recife",
    "readiness_score": 88,
    "max_concurrent_partnerships": 7,
    "seeking_partner": True,
}


@pytest.mark.parametrize("column", PROFILE_VERSION_COLUMNS)
def test_each_column_the_finder_keeps_draws_a_new_version(column):
    section = SectionFactory(name="Section", kind="professional", maturity="developing", seeking_partner=False)
    before = _version(section)
    value = DistrictFactory().pk if column == "district_id" else CHANGES[column]

    Section.objects.filter(pk=section.pk).update(**{column: value})

    assert _version(section) != before


def test_a_save_that_changes_nothing_the_finder_keeps_keeps_the_version():
    section = SectionFactory()
    before = _version(section)

    section.description = "A new description."
    section.member_count += 10
    section.save()
    Section.objects.filter(pk=section.pk).update(open_partnerships=3)

    assert _version(section) == before


@pytest.mark.parametrize("relation", ["interests", "working_languages", "offers_forms", "needs_forms",
                                      "offers_topics", "needs_topics"])
def test_adding_and_removing_a_profile_relation_draws_a_new_version(relation):
    section = SectionFactory()
    target = {
        "working_languages": lambda: Language.objects.get(code="fr"),
        "offers_forms": lambda: TwinningForm.objects.get(code="growing-section"),
        "needs_forms": lambda: TwinningForm.objects.get(code="growing-section"),
    }.get(relation, TechnicalInterestFactory)()
    before = _version(section)

    getattr(section, relation).add(target)
    added = _version(section)
    getattr(section, relation).remove(target)

    assert len({before, added, _version(section)}) == 3


def test_a_deleted_interest_leaves_the_profiles_that_held_it(me):
    candidate = _candidate("Candidate")
    interest = TechnicalInterestFactory()
    me.interests.add(interest)
    candidate.interests.add(interest)
    assert _match(me, "Candidate").factors["interests"] == 1

    TechnicalInterest.objects.filter(pk=interest.pk).delete()

    assert _match(me, "Candidate").factors["interests"] == 0


def test_saving_a_section_loaded_before_a_profile_change_keeps_the_new_version(me):
    candidate = _candidate("Candidate")
    loaded_earlier = Section.objects.get(pk=candidate.pk)
    interest = TechnicalInterestFactory()
    me.interests.add(interest)
    assert _match(me, "Candidate").factors["interests"] == 0
    # What another process keeps of the candidate as it was: it saw no change since.
    elsewhere = finder._known[candidate.pk]
    candidate.interests.add(interest)
    assert _match(me, "Candidate").factors["interests"] == 1

    loaded_earlier.member_count = 77
    loaded_earlier.save()  # must not write back the version it read
    finder._known[candidate.pk] = elsewhere
    finder._built.clear()

    assert _match(me, "Candidate").factors["interests"] == 1
