"""A district coordinator opens their dashboard, sees a check-in long overdue, follows it to
the partnership, comes back, filters the partnerships table and downloads it as CSV; in a
real browser."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from twinning.tests.browser import expect_accessible_chart, log_in

from .dashboard_helpers import checkin, partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_follows_an_overdue_checkin_and_downloads_the_table(page: Page, world):
    # Real days: the live server and the browser run on the real clock.
    today = timezone.localdate()
    late = partnership(world, "Summer exchange")
    checkin(late, world.a, due_on=today - datetime.timedelta(days=21))
    partnership(world, "Winter school", forms=("student-exchange",))

    log_in(page, world.coordinator_a.email)
    home_link = page.get_by_role("link", name=re.compile("dashboard", re.IGNORECASE))
    if home_link.count():
        home_link.first.click()
    else:
        # The home page's link to the dashboard lands with the officers' home (issue 11).
        page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("District A dashboard")
    expect_accessible_chart(
        page.locator("#reporting-chart"), title="Check-ins submitted on time, per quarter of their due date (%)",
        x_label="Quarter of the due date", y_label="Check-ins on time (%)",
    )

    overdue = page.locator("#needs-overdue")
    expect(overdue).to_contain_text("21 days overdue")
    overdue.get_by_role("link", name="Summer exchange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer exchange")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("District A dashboard")
    # The table filtered by form: the download keeps the filter.
    page.get_by_label("Form of twinning").select_option(label="Information / technical exchange")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#partnership-table")).not_to_contain_text("Winter school")
    with page.expect_download() as download_info:
        page.locator("#partnerships").get_by_role("link", name="Download this table (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"da-partnerships-{today.isoformat()}.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0][:5] == ["Partnership", "Sections", "Forms", "Status", "Health"]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {"Summer exchange"}
    assert by_title["Summer exchange"][1:4] == ["Alpha Section, Beta Section", "Information / technical exchange", "Active"]
    assert by_title["Summer exchange"][7] == str(today - datetime.timedelta(days=21))
