"""The district coordinator's dashboard (/dashboard/): who sees which district, what each
panel lists and where it links, the table's filters, the CSV exports, bad input, and a
fixed number of queries whatever the district's size."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from partnerships.models import Conflict, Endorsement, Participant, Status
from partnerships.tests.factories import PartnershipFactory
from recognition.tests.districts_helpers import entry
from sections.models import Section
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory

from .dashboard_helpers import TODAY, checkin, fill, frozen, mediation, partnership
from .test_permission_matrix import _writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with frozen():
        yield


def _panel(html: str, element_id: str) -> str:
    """The element with `element_id` (an article, section, table or list), as HTML."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return match.group(2)


def _page(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/dashboard/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _csv(client, user, table: str, query: str = "?district=da") -> list[list[str]]:
    client.force_login(user)
    response = client.get(f"/dashboard/export/{table}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


# ---- Who sees which district ----------------------------------------------------------------

def test_a_coordinator_sees_their_own_district_and_no_other(client, world, clock):
    html = _page(client, world.coordinator_a)
    assert "District A dashboard" in html
    # One district: no picker.
    assert 'id="id_district_picker"' not in html
    assert client.get("/dashboard/?district=db").status_code == 404
    client.force_login(world.coordinator_b)
    assert client.get("/dashboard/?district=da").status_code == 404
    assert client.get("/dashboard/export/partnerships.csv?district=da").status_code == 404


@pytest.mark.parametrize("role", ["officer_a", "officer_b", "outsider"])
def test_officers_and_members_have_no_dashboard(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get("/dashboard/").status_code == 404
    assert client.get("/dashboard/export/needs.csv").status_code == 404


def test_visitors_are_sent_to_log_in(client, world):
    response = client.get("/dashboard/?district=da")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_pick_any_district_and_a_coordinator_of_two_districts_picks_between_them(client, world, clock):
    html = _page(client, world.staff, "?district=db")
    assert "District B dashboard" in html
    assert '<option value="da">District A (da)</option>' in html
    assert '<option value="db" selected>District B (db)</option>' in html
    CoordinatorFactory(user=world.coordinator_a, district=world.b.district)
    html = _page(client, world.coordinator_a)
    assert 'id="id_district_picker"' in html
    assert "District B dashboard" in _page(client, world.coordinator_a, "?district=db")


# ---- Needs you now ------------------------------------------------------------------------

def test_needs_lists_long_overdue_checkins_not_recent_ones(client, world, clock):
    made = fill(world)
    overdue = _panel(_page(client, world.coordinator_a), "needs-overdue")
    assert f'/partnerships/{made["overdue"].period.partnership_id}/check-ins/{made["overdue"].pk}/' in overdue
    assert "20 days overdue" in overdue
    # Ten days late: the leads' reminders are still running, it is not the coordinator's yet.
    assert f'/check-ins/{made["recent"].pk}/' not in overdue


def test_needs_lists_mediation_requests_dormant_partnerships_and_sections_without_officers(client, world, clock):
    made = fill(world)
    settled = partnership(world, "Settled")
    resolved = mediation(settled, world.a, "Settled already")
    Conflict.objects.filter(pk=resolved.pk).update(status=Conflict.Status.RESOLVED, resolution="Talked it through")
    Conflict.objects.create(partnership=settled, raised_for=world.a, description="Between us", mediator="")
    OfficerFactory(section=SectionFactory(name="Busy Section", district=world.a.district))
    SectionFactory(name="New Section", district=world.a.district)
    html = _page(client, world.coordinator_a)

    mediate = _panel(html, "needs-mediate")
    assert f'/partnerships/{made["conflict"].partnership_id}/#logs' in mediate
    assert "The budget 0" in mediate
    assert f"raised for {world.a.name} on" in mediate
    assert "Settled" not in mediate

    dormant = _panel(html, "needs-dormant")
    assert f'href="/partnerships/{made["dormant"].pk}/"' in dormant
    assert "Nothing happened for 130 days." in dormant and "Dormant" in dormant

    officerless = _panel(html, "needs-officerless")
    assert "Quiet Section 0" in officerless and date_format(datetime.date(2025, 12, 31)) in officerless
    assert "Busy Section" not in officerless and "New Section" not in officerless


def test_a_section_whose_first_officers_have_not_started_yet_is_not_left_without_officers(client, world, clock):
    # Its only office starts next month: nobody's office has ended there.
    OfficerFactory(section=SectionFactory(name="Founding Section", district=world.a.district),
                   start_date=TODAY + datetime.timedelta(days=30))
    html = _page(client, world.coordinator_a)
    assert "Founding Section" not in _panel(html, "needs-officerless")
    assert not [row for row in _csv(client, world.coordinator_a, "needs") if row[1] == "Founding Section"]


def test_needs_lists_proposals_awaiting_this_districts_endorsement(client, world, clock):
    made = fill(world)
    endorse_url = f'/partnerships/{made["accepted"].pk}/do/endorse/'
    endorse = _panel(_page(client, world.coordinator_a), "needs-endorse")
    assert endorse_url in endorse and "— Alpha Section, Beta Section</span>" in endorse
    # District B's endorsement does not answer for District A.
    Endorsement.objects.create(partnership=made["accepted"], district=world.b.district, endorsed_by=world.coordinator_b)
    assert endorse_url in _panel(_page(client, world.coordinator_a), "needs-endorse")
    Endorsement.objects.create(partnership=made["accepted"], district=world.a.district, endorsed_by=world.coordinator_a)
    assert endorse_url not in _panel(_page(client, world.coordinator_a), "needs-endorse")


def test_the_endorse_item_links_the_endorsement_only_for_who_may_give_it(client, world, clock):
    # Staff see every district's dashboard, but a district with a coordinator in office is
    # endorsed by that coordinator: the endorse page would answer 403 to them. Their item
    # links the partnership's page instead, on the page and in the CSV.
    made = fill(world)
    endorse_url = f'/partnerships/{made["accepted"].pk}/do/endorse/'
    detail_url = f'/partnerships/{made["accepted"].pk}/'
    client.force_login(world.staff)
    assert client.get(endorse_url).status_code == 403
    staff_panel = _panel(_page(client, world.staff, "?district=da"), "needs-endorse")
    assert endorse_url not in staff_panel and f'href="{detail_url}"' in staff_panel
    staff_rows = _csv(client, world.staff, "needs")
    assert [row[-1] for row in staff_rows if row[0] == "Endorse"] == [f"http://testserver{detail_url}"]
    # The district's coordinator keeps the direct link.
    assert endorse_url in _panel(_page(client, world.coordinator_a), "needs-endorse")
    coordinator_rows = _csv(client, world.coordinator_a, "needs")
    assert [row[-1] for row in coordinator_rows if row[0] == "Endorse"] == [f"http://testserver{endorse_url}"]


def test_a_long_list_shows_its_first_items_and_its_total(client, world, clock):
    fill(world, copies=12)
    overdue = _panel(_page(client, world.coordinator_a), "needs-overdue")
    assert overdue.count("/check-ins/") == 10
    assert "The first 10 of 12; the CSV has them all." in overdue
    assert len(_csv(client, world.coordinator_a, "needs")) == 1 + 12 * 5


# ---- Partnerships -------------------------------------------------------------------------

def test_counts_link_to_the_partnership_list_filtered_the_same_way(client, world, clock):
    fill(world)
    html = _page(client, world.coordinator_a)
    statuses = _panel(html, "status-counts")
    assert '<a href="/partnerships/?district=da&amp;status=active">Active: <strong>3</strong></a>' in statuses
    assert '<a href="/partnerships/?district=da&amp;status=accepted">Accepted: <strong>1</strong></a>' in statuses
    health = _panel(html, "health-counts")
    assert '<a href="/partnerships/?district=da&amp;health=dormant">Dormant: <strong>1</strong></a>' in health
    assert '<a href="/partnerships/?district=da&amp;health=on-track">On track: <strong>2</strong></a>' in health
    # The list behind each number shows that many.
    listed = client.get("/partnerships/?district=da&health=dormant").content.decode()
    assert "1 partnership" in listed and "Dormant 0" in listed
    assert "3 partnerships" in client.get("/partnerships/?district=da&status=active").content.decode()


def test_the_table_shows_checkins_conflicts_and_health_and_filters_by_the_url(client, world, clock):
    made = fill(world)
    overdue = made["overdue"].period.partnership
    table = _panel(_page(client, world.coordinator_a), "partnership-table")
    row = re.search(rf'<tr>\s*<th scope="row"[^>]*><a href="/partnerships/{overdue.pk}/">.*?</tr>', table, re.S).group(0)
    assert "<td>Alpha Section<br>Beta Section</td>" in row and "<td>Information / technical exchange</td>" in row
    assert '<span class="badge status-active">Active</span>' in row
    assert date_format(TODAY - datetime.timedelta(days=95)) in row  # its last submitted check-in
    assert date_format(TODAY - datetime.timedelta(days=20)) in row  # the next due: the overdue one
    # Worst health first.
    assert table.index("Dormant 0") < table.index("Overdue 0")

    accepted = _panel(_page(client, world.coordinator_a, "?status=accepted"), "partnership-table")
    assert "Awaiting 0" in accepted and "Overdue 0" not in accepted
    by_form = _panel(_page(client, world.coordinator_a, "?district=da&form=student-exchange"), "partnership-table")
    assert "Dormant 0" in by_form and "Overdue 0" not in by_form
    by_health = _panel(_page(client, world.coordinator_a, "?health=dormant"), "partnership-table")
    assert "Dormant 0" in by_health and "Conflicted 0" not in by_health
    conflicted = re.search(r'Conflicted 0</a></th>.*?</tr>', _panel(_page(client, world.coordinator_a), "partnership-table"), re.S)
    assert re.search(r'<td class="text-end">1</td>\s*</tr>', conflicted.group(0))


# ---- Sections, reporting, recognition ------------------------------------------------------

def test_sections_show_seeking_readiness_room_and_never_twinned(client, world, clock):
    fill(world)
    world.a.max_concurrent_partnerships = 3
    world.a.readiness_verdict = "ready"
    world.a.readiness_assessed_at = datetime.datetime(2026, 5, 2, 9, tzinfo=datetime.UTC)
    world.a.save()
    html = _page(client, world.coordinator_a)
    summary = _panel(html, "section-summary")
    assert "3 sections" in summary and "1 seeking a partner" in summary and "2 never twinned" in summary
    assert '/sections/?district=da&amp;seeking=true' in summary
    table = _panel(html, "section-table")
    alpha = re.search(r'<tr data-section="alpha">.*?</tr>', table, re.S).group(0)
    # Alpha takes part in four partnerships (three active, one accepted) of three at most.
    assert "Ready" in alpha and date_format(datetime.date(2026, 5, 2)) in alpha and "4 of 3" in alpha and "full" in alpha
    seeking = re.search(r'<tr data-section="[^"]*">\s*<th[^>]*><a[^>]*>Seeking Section 0</a>.*?</tr>', table, re.S)
    assert "Yes" in seeking.group(0) and "Never" in seeking.group(0) and "0 of 2" in seeking.group(0)


def test_the_section_table_is_paged_by_the_districts_number_of_sections(client, world, clock):
    for number in range(26):
        SectionFactory(name=f"Extra Section {number:02}", district=world.a.district)
    total = Section.objects.filter(district=world.a.district).count()
    assert total > 25
    first = _page(client, world.coordinator_a)
    assert f"Showing 1–25 of {total}" in first and "sections_page=2#sections" in first
    last = _page(client, world.coordinator_a, "?sections_page=99")
    assert f"Showing 26–{total} of {total}" in last
    assert len(re.findall(r"<tr data-section=", _panel(last, "section-table"))) == total - 25


def test_reporting_shows_checkins_on_time_per_quarter_with_its_chart(client, world, clock):
    fill(world)
    reporting = _panel(_page(client, world.coordinator_a), "reporting")
    assert "<svg" in reporting
    # Q1: the one due in March came on time; Q2: two due, neither in yet.
    assert re.search(r'2026 Q1</th><td class="text-end">100 %</td>', reporting)
    assert re.search(r'2026 Q2</th><td class="text-end">0 %</td>', reporting)
    assert reporting.count('scope="row"') == 8
    rows = _csv(client, world.coordinator_a, "reporting")
    assert rows[0] == ["Quarter", "Check-ins due", "On time", "Late or missing", "On time (%)"]
    assert rows[-2:] == [["2026 Q1", "1", "1", "0", "100.0"], ["2026 Q2", "2", "0", "2", "0.0"]]
    assert rows[1] == ["2024 Q3", "0", "0", "0", ""]


def test_reporting_counts_a_checkin_not_submitted_only_while_its_partnership_is_open(client, world, clock):
    """Submitted check-ins count whatever became of their partnership; one still to submit
    counts (late) while its partnership is active or suspended, not once it was closed."""
    due = datetime.date(2026, 2, 10)
    checkin(partnership(world, "Active"), world.a, due_on=due)
    checkin(partnership(world, "Suspended", status=Status.SUSPENDED), world.a, due_on=due)
    checkin(partnership(world, "Completed", status=Status.COMPLETED), world.a, due_on=due)
    checkin(partnership(world, "Completed late", status=Status.COMPLETED), world.a, due_on=due,
            submitted_on=due + datetime.timedelta(days=20), late=True)
    checkin(partnership(world, "Withdrawn on time", status=Status.WITHDRAWN), world.a, due_on=due, submitted_on=due)
    rows = _csv(client, world.coordinator_a, "reporting")
    assert ["2026 Q1", "4", "1", "3", "25.0"] in rows


def test_recognition_shows_the_districts_points_this_year(client, world, clock):
    entry(world.a, 20, year=2026)
    entry(world.a, 15, year=2026)
    entry(world.b, 50, year=2026)
    entry(world.a, 99, year=2025)
    recognition = _panel(_page(client, world.coordinator_a), "recognition")
    assert "35 points in 2026" in recognition and "place 2 of 2 districts" in recognition
    assert "Alpha Section — 35" in recognition
    assert 'href="/recognition/districts/da/?year=2026"' in recognition


# ---- CSV ----------------------------------------------------------------------------------

def test_the_partnerships_csv_has_every_row_with_the_pages_filters(client, world, clock):
    fill(world, copies=2)
    partnership(world, "=cmd|' /C calc'!A0")
    rows = _csv(client, world.coordinator_a, "partnerships", "?district=da&status=active")
    assert rows[0] == [
        "Partnership", "Sections", "Forms", "Status", "Health", "Why", "Last check-in", "Next due", "Open conflicts",
        "Address",
    ]
    titles = [row[0] for row in rows[1:]]
    assert "Awaiting 0" not in titles and len(titles) == 7
    assert "'=cmd|' /C calc'!A0" in titles  # a formula is kept from running
    overdue = next(row for row in rows if row[0] == "Overdue 0")
    assert overdue[1:4] == ["Alpha Section, Beta Section", "Information / technical exchange", "Active"]
    assert overdue[4] == "On track" and overdue[6] == str(TODAY - datetime.timedelta(days=95)) and overdue[8] == "0"
    assert overdue[9].startswith("http://testserver/partnerships/")
    dormant = _csv(client, world.coordinator_a, "partnerships", "?district=da&health=dormant")
    assert sorted(row[0] for row in dormant[1:]) == ["Dormant 0", "Dormant 1"]


def test_the_needs_csv_escapes_formulas(client, world, clock):
    fill(world)
    rows = _csv(client, world.coordinator_a, "needs")
    conflict = next(row for row in rows if row[0] == "Mediate")
    assert conflict[2] == world.a.name and conflict[4] == "'=HYPERLINK(\"x\") The budget 0"
    assert {row[0] for row in rows[1:]} == {"Endorse", "Mediate", "Overdue check-in", "Dormant", "No officers"}


def test_the_sections_csv_lists_every_section(client, world, clock):
    fill(world, copies=2)
    rows = _csv(client, world.coordinator_a, "sections")
    assert rows[0][:3] == ["Section", "Country", "Seeking a partner"]
    assert sorted(row[0] for row in rows[1:]) == [
        "Alpha Section", "Quiet Section 0", "Quiet Section 1", "Seeking Section 0", "Seeking Section 1",
    ]


def test_an_unknown_table_is_404(client, world):
    client.force_login(world.coordinator_a)
    assert client.get("/dashboard/export/nonsense.csv").status_code == 404


# ---- Bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "status"), [("?district=nonsense", 404), ("?district=db", 404), ("?district=%00", 400)])
def test_a_district_not_theirs_or_not_at_all_is_refused(client, world, query, status):
    client.force_login(world.coordinator_a)
    assert client.get(f"/dashboard/{query}").status_code == status
    assert client.get(f"/dashboard/export/partnerships.csv{query}").status_code == status


def test_garbage_in_the_query_string_gives_the_page_and_says_what_was_left_out(client, world, clock):
    fill(world)
    html = _page(client, world.coordinator_a, "?page=abc&sections_page=999999&status=bogus&health=&form=nope")
    assert "Some filters were not understood and were left out." in html
    assert "Overdue 0" in _panel(html, "partnership-table")
    assert "Some filters" not in _page(client, world.coordinator_a, "?status=active")
    assert len(_csv(client, world.coordinator_a, "partnerships", "?district=da&status=bogus")) == 1 + 4


# ---- Queries and writes -------------------------------------------------------------------

# +1 since financial support: the list of partnerships whose instalments are late or do not match.
# What the district's sections take part in read first (+1), the status and health counts in one
# query (-1).
# The user's offices and districts in one query (-1).
# The section table's pages counted from the section summary's total (-1).
DASHBOARD_QUERIES = 25


@pytest.mark.parametrize("copies", [1, 6])
def test_the_dashboard_reads_a_fixed_number_of_queries(client, world, clock, django_assert_num_queries, copies):
    fill(world, copies=copies)
    entry(world.a, 20, year=2026)
    client.force_login(world.coordinator_a)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get("/dashboard/").status_code == 200


# +1 for the partnerships and sections: what the district's sections take part in is read first;
# +2 for the partnerships: their check-in dates and open conflicts, one query each for all rows.
# The needs: the participation read first, so that each list starts from its statuses' ids (+1),
# and the sections of every list's partnerships in one query instead of a prefetch a list (-3).
# The user's offices and districts in one query (-1 each).
EXPORT_QUERIES = {"needs": 12, "partnerships": 10, "sections": 6, "reporting": 5}


@pytest.mark.parametrize("copies", [1, 6])
@pytest.mark.parametrize("table", sorted(EXPORT_QUERIES))
def test_each_export_reads_a_fixed_number_of_queries(client, world, clock, django_assert_num_queries, copies, table):
    fill(world, copies=copies)
    client.force_login(world.coordinator_a)
    with django_assert_num_queries(EXPORT_QUERIES[table]):
        assert client.get(f"/dashboard/export/{table}.csv?district=da").status_code == 200


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/?status=bogus", "/dashboard/export/needs.csv"])
def test_a_get_writes_nothing(client, world, clock, url):
    fill(world)
    client.force_login(world.coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert _writes(queries) == []


def test_a_closed_partnerships_checkin_is_no_longer_overdue(client, world, clock):
    ended = partnership(world, "Ended", status=Status.COMPLETED)
    checkin(ended, world.a, due_on=TODAY - datetime.timedelta(days=40))
    assert "Ended" not in _panel(_page(client, world.coordinator_a), "needs-overdue")


def test_another_districts_records_stay_off_the_dashboard(client, world, clock):
    district_c = DistrictFactory(code="dc", name="District C")
    gamma = SectionFactory(name="Gamma Section", district=district_c)
    delta = SectionFactory(name="Delta Section", district=district_c)
    fill(world)
    elsewhere = PartnershipFactory(title="Elsewhere", status=Status.ACTIVE, proposing_section=gamma)
    for section in (gamma, delta):
        Participant.objects.create(partnership=elsewhere, section=section)
    checkin(elsewhere, gamma, due_on=TODAY - datetime.timedelta(days=30))
    mediation(elsewhere, gamma, "Far away")
    html = _page(client, world.coordinator_a)
    assert "Elsewhere" not in html and "Far away" not in html and "Gamma Section" not in html
