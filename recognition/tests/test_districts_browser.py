"""A district coordinator recognises a section from the district page, the section's profile
shows the citation, and the leaderboard shows that section's points with their breakdown;
in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import LedgerEntry
from twinning.tests.browser import field, go_by_menu, log_in

from .districts_helpers import entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_recognises_a_section_and_the_leaderboard_shows_its_points(page: Page, world):
    partnership = endorsed(world)
    entry(world.a, 20, year=2026, partnership=partnership)
    entry(world.a, 35, year=2026, event="completed", partnership=partnership)
    entry(world.b, 20, year=2026, partnership=partnership)
    entry(world.a, 5, year=2026, kind=LedgerEntry.Kind.ADJUSTMENT, by=world.staff)

    log_in(page, world.coordinator_a.email)
    page.goto("/recognition/districts/da/?year=2026")
    expect(page.locator("#district-sections tr[data-section=alpha]")).to_contain_text("60")
    field(page, "Section").select_option(label="Alpha Section")
    field(page, "Year").fill("2026")
    field(page, "Category").select_option(label="Best new twinning")
    field(page, "Citation").fill("Their first twinning, with Beta, ran a summer exchange.")
    page.get_by_role("button", name="Recognise").click()
    expect(page.get_by_text("Alpha Section is recognised: Best new twinning 2026.")).to_be_visible()
    expect(page.locator("#citations")).to_contain_text("Their first twinning, with Beta")

    page.get_by_role("link", name="Alpha Section").first.click()
    expect(page.get_by_role("heading", name="Recognised by the district")).to_be_visible()
    expect(page.locator("#district-recognition")).to_contain_text("Best new twinning 2026")

    go_by_menu(page, "Leaderboard")
    page.get_by_label("Award year").fill("2026")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#leaderboard tr[data-section=alpha]")
    expect(row.locator(".points")).to_have_text("60")
    row.get_by_text("Breakdown").click()
    breakdown = row.locator(".breakdown")
    expect(breakdown).to_contain_text(re.compile(r"Agreement activated\s*20"))
    expect(breakdown).to_contain_text(re.compile(r"Partnership completed\s*35"))
    expect(breakdown).to_contain_text(re.compile(r"Adjustments\s*5"))
    expect(page.locator("#district-totals")).to_contain_text("District A")

    # The points lead to the records that earned them.
    row.get_by_role("link", name="The records behind these points").click()
    expect(page.get_by_role("link", name=partnership.title).first).to_be_visible()
    page.get_by_role("link", name=partnership.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.title)
