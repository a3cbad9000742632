"""The society dashboard: the numbers on a small society with a known history, the
partnership list's drill-down filters its numbers link to, the CSV exports and the
number of queries."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache

from evaluation.models import CheckIn
from sections.tests.factories import OfficerFactory

from .society_world import _checkin, build_society, grow_society

pytestmark = pytest.mark.django_db


@pytest.fixture
def society():
    return build_society()


@pytest.fixture
def staff_client(client, society):
    client.force_login(society.staff)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _row(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr data-{attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return _text(match[1])


def _titles(client, query: str) -> list[str]:
    html = client.get(f"/partnerships/?{query}").content.decode()
    return sorted(set(re.findall(r">(P\d [A-Za-z ]+?)</a>", html)))


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


class TestAccess:
    def test_a_member_or_coordinator_gets_not_found_and_a_visitor_the_login(self, client, society):
        assert client.get("/dashboard/society/")["Location"].startswith("/accounts/login/")
        client.force_login(OfficerFactory(section=society.sections["alpha"]).user)
        assert client.get("/dashboard/society/").status_code == 404
        assert client.get("/dashboard/society/export/districts.csv").status_code == 404

    def test_an_unknown_table_is_not_found(self, staff_client):
        assert staff_client.get("/dashboard/society/export/everything.csv").status_code == 404


class TestDistricts:
    def test_each_district_shows_its_partnerships_by_stage_and_health_and_its_sections(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        # District, being agreed, active, suspended, completed, ended early; on track, at
        # risk, off track, cooling, dormant; check-ins on time; sections in twinning; assessed.
        assert _row(html, "district", "da") == (
            "District A (da) 1 2 0 1 0 1 1 0 0 0 50.0 % of 2 due 100.0 % 50.0 % of 2 sections"
        )
        assert _row(html, "district", "db") == (
            "District B (db) 0 1 0 1 1 0 1 0 0 0 0.0 % of 1 due 100.0 % 100.0 % of 1 section"
        )
        assert _row(html, "district", "dc") == (
            "District C (dc) 1 0 0 0 1 0 0 0 0 0 – of 0 due 0.0 % 0.0 % of 1 section"
        )

    def test_each_number_links_to_the_list_behind_it(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        for link in (
            'href="/dashboard/?district=da"',
            'href="/partnerships/?district=da&amp;stage=agreeing"',
            'href="/partnerships/?district=db&amp;health=at-risk"',
            'href="/partnerships/?district=da&amp;status=active"',
            'href="/sections/?district=da&amp;assessed=true"',
        ):
            assert link in html

    def test_the_links_land_on_the_partnerships_counted(self, staff_client):
        assert _titles(staff_client, "district=da&stage=agreeing") == ["P5 Alpha Cedar"]
        assert _titles(staff_client, "district=db&health=at-risk") == ["P1 Alpha Beta"]
        assert _titles(staff_client, "district=dc&stage=closed") == [
            "P4 Beta Cedar", "P5 Alpha Cedar", "P6 Amber Cedar", "P7 Beta Cedar",
        ], "an unknown stage is left out"

    def test_check_ins_of_closed_partnerships_count_when_filed_only(self, staff_client, society):
        # Amber filed P3's on time before it completed; Beta's for P4 was left unfiled when it
        # ended, so it was never late: da 2 of 3 on time, db still 0 of 1.
        _checkin(society.partnerships["P3"], society.sections["amber"], 1, state=CheckIn.State.SUBMITTED)
        _checkin(society.partnerships["P4"], society.sections["beta"], 1, state=CheckIn.State.DRAFT)
        rows = {row[0]: row for row in _csv(staff_client.get("/dashboard/society/export/districts.csv"))}
        assert rows["da"][12:14] == ["3", "66.7"]
        assert rows["db"][12:14] == ["1", "0.0"]

    def test_readiness_coverage_lists_the_assessed_sections(self, staff_client):
        html = staff_client.get("/sections/?district=da&assessed=true").content.decode()
        assert "Alpha" in html and "Amber" not in html


class TestTrends:
    def test_steps_per_quarter_count_first_activations_only(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        table = re.search(r'<figure class="chart mb-3" id="trends-chart">(.*?)</figure>', html, re.S)[1]
        rows = [_text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        # Quarter: proposed, activated, completed, ended early; from the first step recorded.
        assert rows[1] == "2024 Q1 2 0 0 0"
        assert "2024 Q2 0 2 0 0" in rows
        assert "2025 Q3 1 1 1 1" in rows
        assert "2025 Q4 1 0 0 0" in rows, "the resumption in 2025 Q4 is no activation"
        assert 'href="/partnerships/?event=activated&amp;quarter=2025-Q3"' in table

    def test_forms_mix_counts_activations_per_year_and_form(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        table = _text(re.search(r'<figure class="chart mb-3" id="forms-chart">(.*?)</figure>', html, re.S)[1])
        # Student exchange, technical exchange, financial support, growing a section.
        assert "2024 0 2 1 0" in table
        assert "2025 1 0 0 1" in table
        assert 'event=activated&amp;year=2024&amp;form=financial-support' in html


class TestDrillDown:
    @pytest.mark.parametrize(("query", "titles"), [
        ("event=activated&quarter=2025-Q3", ["P2 Alpha Amber"]),
        ("event=activated&quarter=2025-Q4", []),
        ("event=proposed&quarter=2024-Q1", ["P1 Alpha Beta", "P3 Amber Beta"]),
        ("event=ended&quarter=2025-Q3", ["P4 Beta Cedar"]),
        ("event=completed", ["P3 Amber Beta"]),
        ("event=activated&year=2024&form=financial-support", ["P3 Amber Beta"]),
        ("event=activated&year=2024", ["P1 Alpha Beta", "P3 Amber Beta"]),
        ("district=da&partner_district=db", ["P1 Alpha Beta", "P3 Amber Beta"]),
        ("district=db&partner_district=da", ["P1 Alpha Beta", "P3 Amber Beta"]),
        ("district=da&partner_district=da", ["P2 Alpha Amber"]),
        ("district=db&partner_district=dc", ["P4 Beta Cedar"]),
        ("country=NL&partner_country=KE", ["P1 Alpha Beta", "P3 Amber Beta"]),
        ("country=NL&partner_country=NL", ["P2 Alpha Amber"]),
        ("country=BR&partner_country=KE", ["P4 Beta Cedar"]),
        ("partner_country=BR", ["P4 Beta Cedar", "P5 Alpha Cedar", "P6 Amber Cedar", "P7 Beta Cedar"]),
    ])
    def test_the_filters_list_the_partnerships_counted(self, staff_client, query, titles):
        assert _titles(staff_client, query) == titles

    @pytest.mark.parametrize("query", [
        "event=activated&quarter=2025-Q5", "event=activated&quarter=2025Q3", "quarter=1999-Q1",
        "quarter=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95-Q1", "quarter=2025-Q3-extra", "event=exploded",
        "year=abc", "year=99999", "year=2024.5", "partner_district=nowhere", "country=XX", "partner_country=nl",
    ])
    def test_values_not_understood_are_said_and_left_out(self, staff_client, query):
        response = staff_client.get(f"/partnerships/?{query}", follow=True)
        assert response.status_code == 200
        assert "Some filters were not understood and were left out." in response.content.decode()


class TestNetwork:
    def test_district_pairs_count_partnerships_and_link_to_them(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        table = re.search(r'<table class="table table-sm" id="network-table">(.*?)</table>', html, re.S)[1]
        assert _row(table, "pair", "da-db") == "District A (da) District B (db) 2"
        assert _row(table, "pair", "da-da") == "District A (da) within the district 1"
        assert _row(table, "pair", "db-dc") == "District B (db) District C (dc) 1", "the declined proposal is left out"
        assert _row(table, "pair", "da-dc") == "District A (da) District C (dc) 1", "the draft is left out"
        assert 'href="/partnerships/?district=da&amp;partner_district=db"' in table
        drawing = re.search(r'<svg [^>]*id="network-drawing">(.*?)</svg>', html, re.S)
        assert 'aria-hidden="true"' in drawing[0]
        # Three lines between districts, one ring for the partnership within District A.
        assert drawing[1].count("<line ") == 3 and drawing[1].count('fill="none"') == 1

    def test_country_pairs_most_first(self, staff_client):
        html = staff_client.get("/dashboard/society/").content.decode()
        table = re.search(r'id="country-table">(.*?)</table>', html, re.S)[1]
        assert re.findall(r'data-pair="([A-Z-]+)"', table)[0] == "KE-NL"
        assert _row(table, "pair", "KE-NL") == "Kenya Netherlands 2"
        assert _row(table, "pair", "NL-NL") == "Netherlands within the country 1"
        assert 'href="/partnerships/?country=KE&amp;partner_country=NL"' in table


class TestExports:
    def test_districts_csv_has_the_tables_numbers(self, staff_client):
        rows = _csv(staff_client.get("/dashboard/society/export/districts.csv"))
        assert rows[0][:7] == [
            "District code", "District", "Being agreed", "Active", "Suspended", "Completed", "Ended early",
        ]
        assert rows[1] == [
            "da", "District A", "1", "2", "0", "1", "0", "1", "1", "0", "0", "0", "2", "50.0", "2", "100.0", "50.0",
        ]
        assert rows[3][-5:] == ["0", "", "1", "0.0", "0.0"]

    def test_trends_and_forms_csv(self, staff_client):
        trends = _csv(staff_client.get("/dashboard/society/export/trends.csv"))
        assert trends[0] == ["Quarter", "Proposed", "Activated", "Completed", "Ended early"]
        assert ["2025 Q3", "1", "1", "1", "1"] in trends
        forms = _csv(staff_client.get("/dashboard/society/export/forms.csv"))
        assert forms[0][0] == "Year" and ["2024", "0", "2", "1", "0"] in forms

    def test_network_and_countries_csv(self, staff_client):
        network = _csv(staff_client.get("/dashboard/society/export/network.csv"))
        assert network[0] == ["District A code", "District A", "District B code", "District B", "Partnerships"]
        assert network[1] == ["da", "District A", "db", "District B", "2"]
        countries = _csv(staff_client.get("/dashboard/society/export/countries.csv"))
        assert countries[1] == ["KE", "Kenya", "NL", "Netherlands", "2"]


class TestQueries:
    def test_the_dashboard_reads_a_fixed_number_of_queries(self, staff_client, django_assert_num_queries):
        with django_assert_num_queries(QUERIES):
            staff_client.get("/dashboard/society/")
        grow_society(12)
        cache.clear()  # the figures are kept a few minutes: count the grown society afresh
        with django_assert_num_queries(QUERIES):
            response = staff_client.get("/dashboard/society/")
        assert "District X11" in response.content.decode()

    def test_the_figures_are_kept_a_few_minutes_and_the_page_says_when_they_were_taken(
        self, staff_client, django_assert_num_queries
    ):
        first = staff_client.get("/dashboard/society/").content.decode()
        grow_society(3)
        # Within the snapshot's minutes only the session, the user, their permissions (the
        # society-admin right) and their roles are read.
        with django_assert_num_queries(5):
            again = staff_client.get("/dashboard/society/").content.decode()
        assert "Figures as of" in first
        assert "District X2" not in again

    def test_a_download_holds_the_figures_the_page_shows_and_says_when_they_were_taken(
        self, staff_client, django_assert_num_queries
    ):
        page = staff_client.get("/dashboard/society/")
        grow_society(3)
        with django_assert_num_queries(5):
            download = staff_client.get("/dashboard/society/export/districts.csv")
        assert [row[0] for row in _csv(download)[1:]] == ["da", "db", "dc"]
        taken = re.search(r"Figures as of (\d\d):(\d\d)", page.content.decode())
        assert re.fullmatch(
            rf'attachment; filename="society-districts-\d{{4}}-\d\d-\d\d-{taken[1]}{taken[2]}\.csv"',
            download["Content-Disposition"],
        )
        cache.clear()  # the next snapshot counts the grown society
        assert "District X2" in staff_client.get("/dashboard/society/export/districts.csv").content.decode()

    @pytest.mark.parametrize("table", ["districts", "trends", "forms", "network", "countries"])
    def test_each_export_reads_a_fixed_number_of_queries(self, staff_client, django_assert_num_queries, table):
        url = f"/dashboard/society/export/{table}.csv"
        # Without a snapshot a download counts the figures as the page does, then keeps them.
        with django_assert_num_queries(QUERIES):
            staff_client.get(url)
        grow_society(8)
        cache.clear()
        with django_assert_num_queries(QUERIES):
            staff_client.get(url)
        with django_assert_num_queries(5):
            staff_client.get(url)


# Session and user, the user's permissions and their groups' (the society-admin right, a
# permission the admin grants), the user's offices and districts in one query (the dashboards' access), districts,
# partnerships by district and status, health by district, check-ins on time, sections by
# district, steps by quarter, activations by year and form, the forms, district pairs,
# country pairs.
QUERIES = 15
