"""An officer's week starts at home: their partnership with its health and what is due, then
the profile, where they create the calendar feed and copy its address; in a real browser."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from twinning.tests.browser import go_by_menu, log_in

from .helpers import running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_sees_their_partnership_and_subscribes_to_their_calendar(page: Page, world):
    (partnership,) = running(world)

    log_in(page, world.officer_a.email)
    row = page.locator(f"#my-partnerships tr[data-partnership='{partnership.pk}']")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("On track")
    expect(row.get_by_role("link", name="File the check-in")).to_be_visible()
    todo = page.locator("#todo")
    expect(todo.get_by_role("heading", name="Check-ins to file")).to_be_visible()
    expect(todo.get_by_role("list", name="Overdue")).to_contain_text(partnership.title)

    go_by_menu(page, "Your profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.locator("#assignments")).to_contain_text("Alpha Section")
    page.get_by_role("button", name="Create a calendar feed").click()
    expect(page.get_by_text("Your calendar feed is ready.")).to_be_visible()
    address = page.get_by_label("Your calendar feed address")
    expect(address).to_have_value(re.compile(r"^http://.+/calendar/[\w-]+\.ics$"))

    # The address works without signing in, as a calendar app fetches it.
    response = page.context.request.get(address.input_value(), headers={"Cookie": ""})
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(response.body()).walk("VEVENT")]
    assert any(summary.startswith("Check-in due: ") for summary in summaries)

    page.reload()
    expect(page.get_by_label("Your calendar feed address")).to_have_count(0)
    expect(page.get_by_role("button", name="Replace the address")).to_be_visible()
