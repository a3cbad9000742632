"""A society admin opens the society dashboard, reads the districts and the network, and
follows a number to the partnerships behind it; in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from twinning.tests.browser import expect_accessible_chart, log_in

from .society_world import build_society

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_society_admin_drills_down_from_the_network_to_the_partnerships(page: Page):
    society = build_society()

    log_in(page, society.staff.email)
    page.goto("/dashboard/society/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Society dashboard")
    expect(page.locator("#district-table tr[data-district=da]")).to_contain_text("District A")
    expect(page.locator("#district-table tr[data-district=dc]")).to_contain_text("District C")
    pair = page.locator("#network-table tr[data-pair=da-db]")
    expect(pair).to_contain_text("District B (db)")
    expect_accessible_chart(
        page.locator("#trends-chart"), title="Partnerships by step and quarter", x_label="Quarter", y_label="Partnerships",
    )
    expect_accessible_chart(
        page.locator("#forms-chart"), title="Partnerships started per year, by form of twinning",
        x_label="Year started", y_label="Partnerships started",
    )

    pair.get_by_role("link", name="2").click()
    expect(page.get_by_role("heading", name="2 partnerships")).to_be_visible()
    expect(page.get_by_role("link", name="P1 Alpha Beta")).to_be_visible()
    expect(page.get_by_role("link", name="P3 Amber Beta")).to_be_visible()
    expect(page.get_by_role("link", name="P4 Beta Cedar")).to_have_count(0)

    # Back on the dashboard, a step of one quarter lists the partnerships that took it.
    page.go_back()
    page.locator("#trends-chart").get_by_role("row", name="2025 Q3").get_by_role("link").nth(1).click()
    expect(page.get_by_role("heading", name="1 partnership")).to_be_visible()
    expect(page.get_by_role("link", name="P2 Alpha Amber")).to_be_visible()
