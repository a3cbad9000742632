"""The society leaderboard: sections ranked by the year's points with their breakdown by
rule, filters in the URL, district totals, the CSV export, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared
from recognition.models import LedgerEntry, PointRule
from recognition.views.leaderboard import PAGE_SIZE
from sections.models import Section
from sections.tests.factories import DistrictFactory, SectionFactory
from twinning.tests.factories import UserFactory

from .districts_helpers import entry

pytestmark = pytest.mark.django_db

URL = "/recognition/leaderboard/"


def _ranked(response) -> list[tuple[str, int]]:
    return [(row["section"].name, row["section"].points) for row in response.context["rows"]]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_sections_are_ranked_by_the_years_points_reversals_and_adjustments_included(client, world):
    gamma = SectionFactory(name="Gamma Section")
    entry(world.a, 10, year=2026)
    entry(world.a, 15, year=2026, event="completed")
    entry(world.a, -10, year=2026, kind=LedgerEntry.Kind.REVERSAL)
    entry(world.b, 12, year=2026)
    entry(world.b, 3, year=2026, kind=LedgerEntry.Kind.ADJUSTMENT, by=world.staff)
    entry(gamma, 90, year=2025)
    client.force_login(world.outsider)

    response = client.get(URL, {"year": 2026})

    assert _ranked(response) == [("Alpha Section", 15), ("Beta Section", 15)]
    client_2025 = client.get(URL, {"year": 2025})
    assert _ranked(client_2025) == [("Gamma Section", 90)]


def test_the_breakdown_is_by_rule_with_adjustments_apart(client, world):
    entry(world.a, 10, year=2026)
    entry(world.a, 15, year=2026, event="completed")
    entry(world.a, -10, year=2026, kind=LedgerEntry.Kind.REVERSAL)
    entry(world.a, 4, year=2026, kind=LedgerEntry.Kind.ADJUSTMENT, by=world.staff)
    client.force_login(world.outsider)

    row = client.get(URL, {"year": 2026}).context["rows"][0]

    shown = {column.key: points for column, points in row["section"].breakdown if points}
    assert shown == {"completed": 15, "adjustments": 4}  # activated: 10 earned, 10 reversed
    page = client.get(URL, {"year": 2026}).content.decode()
    assert "Partnership completed" in page and "Adjustments" in page


def test_filters_by_district_kind_and_maturity(client, world):
    student = SectionFactory(name="Student Section", kind=Section.Kind.STUDENT, district=world.a.district,
                             maturity=Section.Maturity.FORMATIVE)
    for section in (world.a, world.b, student):
        entry(section, 5)
    client.force_login(world.outsider)

    assert {name for name, _ in _ranked(client.get(URL, {"year": 2026, "district": "da"}))} == {
        "Alpha Section", "Student Section"}
    assert _ranked(client.get(URL, {"year": 2026, "kind": "student"})) == [("Student Section", 5)]
    assert _ranked(client.get(URL, {"year": 2026, "maturity": "formative"})) == [("Student Section", 5)]


def test_district_totals(client, world):
    SectionFactory(name="Gamma Section", district=world.a.district)
    gamma = Section.objects.get(name="Gamma Section")
    entry(world.a, 5)
    entry(gamma, 7)
    entry(world.b, 3)
    client.force_login(world.outsider)

    totals = client.get(URL, {"year": 2026}).context["districts"]

    assert [(row["code"], row["total"], row["sections"]) for row in totals] == [
        ("da", 12, 2), ("db", 3, 1)]


@pytest.mark.parametrize(
    "query",
    [
        {"district": "nowhere"}, {"kind": "robot"}, {"maturity": "[]"}, {"year": "abc"}, {"year": "-5"},
        {"year": "99999999999999999999"}, {"page": "abc"}, {"page": "-1"}, {"page": "999999"},
        {"district": "' OR 1=1 --"}, {"format": "xml"}, {"kind": ["student", "professional"]},
    ],
)
def test_hostile_filters_never_crash(client, world, query):
    entry(world.a, 5)
    client.force_login(world.outsider)

    assert client.get(URL, query).status_code == 200
    assert client.get("/recognition/leaderboard.csv", query).status_code == 200


def test_an_unknown_filter_is_reported_and_left_out(client, world):
    entry(world.a, 5)
    client.force_login(world.outsider)

    response = client.get(URL, {"district": "nowhere"}, follow=True)

    assert "Some filters were not understood" in response.content.decode()
    assert _ranked(response) == [("Alpha Section", 5)]


def test_pagination_keeps_the_ranking(client, world):
    for n in range(PAGE_SIZE + 2):
        entry(SectionFactory(name=f"S{n:03d}"), n + 1)
    client.force_login(world.outsider)

    second = client.get(URL, {"year": 2026, "page": 2})

    assert [row["rank"] for row in second.context["rows"]] == [PAGE_SIZE + 1, PAGE_SIZE + 2]
    assert _ranked(second) == [("S001", 2), ("S000", 1)]


def test_the_csv_has_every_ranked_section_and_its_breakdown(client, world):
    entry(world.a, 10)
    entry(world.a, 5, event="completed")
    entry(world.b, 3)
    client.force_login(world.outsider)

    for response in (client.get(URL, {"year": 2026, "format": "csv"}), client.get("/recognition/leaderboard.csv",
                                                                                      {"year": 2026})):
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="leaderboard-2026.csv"' in response["Content-Disposition"]
        rows = _csv(response)
        header = rows[0]
        assert header[:7] == ["Rank", "Section", "District", "Kind", "Maturity", "Award year", "Points"]
        assert rows[1][:7] == ["1", "Alpha Section", "da", "Professional section", "Developing", "2026", "15"]
        assert rows[1][header.index("Partnership completed")] == "5"
        assert rows[1][header.index("Agreement activated")] == "10"
        assert rows[2][:2] == ["2", "Beta Section"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_the_csv_escapes_formulas(client, world, name):
    entry(SectionFactory(name=name), 4)
    entry(world.a, -3, kind=LedgerEntry.Kind.ADJUSTMENT, by=world.staff)
    client.force_login(world.outsider)

    rows = _csv(client.get("/recognition/leaderboard.csv", {"year": 2026}))

    assert rows[1][1] == f"'{name}"
    assert rows[2][6] == "-3"  # a negative total stays a number


def test_the_csv_follows_the_filters(client, world):
    entry(world.a, 4)
    entry(world.b, 6)
    client.force_login(world.outsider)

    rows = _csv(client.get("/recognition/leaderboard.csv", {"year": 2026, "district": "da"}))

    assert [row[1] for row in rows[1:]] == ["Alpha Section"]


def test_the_main_nav_links_the_leaderboard_for_members(client, world):
    client.force_login(world.outsider)
    assert 'href="/recognition/leaderboard/"' in client.get("/sections/").content.decode()


def test_the_leaderboard_queries_do_not_grow_with_sections(client, world, django_assert_num_queries):
    entry(world.a, 1)
    client.force_login(world.outsider)
    client.get(URL)  # warm the content-type cache

    def count(query):
        with django_assert_num_queries(QUERIES + ("district" in query)):
            assert client.get(URL, query).status_code == 200

    count({})
    count({"district": "da", "kind": "professional"})
    district = DistrictFactory(code="dz")
    for n in range(30):
        section = SectionFactory(district=district)
        entry(section, n + 1)
        entry(section, n + 2, event="completed")
    count({})
    count({"district": "dz", "maturity": "developing", "page": "2"})


# Session and user (2), the rules (1), the years (1), the count (1), the page (1), the
# district totals (1), the district choices of the filter form (1), the page's sections and
# their breakdown (2), the district names of the totals (1); a district filter looks
# its district up (1 more); the reader's time zone, their section's as they chose none (1).
QUERIES = 12


class TestTotalsEqualTheLedger:
    """Whatever the ledger holds, each section's total for a year is the sum of its entries."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        ledger=st.lists(
            st.tuples(
                st.integers(0, 4),  # which section
                st.integers(-50, 200),  # points
                st.sampled_from([2024, 2025, 2026]),
                st.sampled_from(list(PointRule.Event.values) + ["adjustment"]),
            ),
            max_size=40,
        ),
        year=st.sampled_from([2024, 2025, 2026]),
    )
    def test_totals_equal_the_sum_of_entries(self, client, world, ledger, year):
        with transaction.atomic():
            admin = UserFactory(society_admin=True)
            sections = [SectionFactory(name=f"P{n}") for n in range(5)]
            expected = defaultdict(int)
            for index, points, entry_year, event in ledger:
                if event == "adjustment":
                    entry(sections[index], points, year=entry_year, kind=LedgerEntry.Kind.ADJUSTMENT, by=admin)
                else:
                    entry(sections[index], points, year=entry_year, event=event)
                if entry_year == year:
                    expected[sections[index].name] += points
            client.force_login(admin)

            rows = _csv(client.get("/recognition/leaderboard.csv", {"year": year}))[1:]
            shown = {row[1]: int(row[6]) for row in rows}
            header = _csv(client.get("/recognition/leaderboard.csv", {"year": year}))[0]
            breakdown_sums = {row[1]: sum(int(cell) for cell in row[7:]) for row in rows}

            assert shown == dict(expected)
            assert breakdown_sums == dict(expected)
            assert len(header) == 7 + len(PointRule.Event.values) + 1
            assert [int(row[6]) for row in rows] == sorted((int(row[6]) for row in rows), reverse=True)
            page_rows = [row["section"] for row in client.get(URL, {"year": year}).context["rows"]]
            assert {row.name: row.points for row in page_rows} == dict(expected)
            assert {row.name: sum(points for _column, points in row.breakdown) for row in page_rows} == dict(expected)
            assert [row.name for row in page_rows] == [row[1] for row in rows]  # the page ranks as the CSV
            transaction.set_rollback(True)
