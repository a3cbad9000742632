"""The main journeys on a phone (390 by 844): an officer, a district coordinator and a society
admin go through their pages with the navigation behind its menu and the lists' filters behind
their "Filter" button, and no page they visit scrolls sideways; the section profile's languages
are one list filtered by typing. In a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sections.models import Language
from twinning.tests.browser import (
    assert_no_sideways_scroll, close_menu, go_by_menu, log_in, log_out, open_filters, open_menu,
)

from .helpers import running
from .society_world import build_society

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_goes_through_their_pages_on_a_phone(phone_page: Page, world):
    page = phone_page
    (partnership,) = running(world)
    # A long word and an address in the profile, that must break rather than widen the page.
    world.a.description = "Werkgroepvoorzittersvergaderingsverslagenarchiefbeheerder " * 3
    world.a.contact_email = "twinning-coordination-committee-of-the-alpha-section@example.org"
    world.a.save()

    log_in(page, world.officer_a.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Ann")
    # The navigation is folded into its menu: its links are hidden until it is opened.
    expect(page.get_by_role("button", name="Show navigation")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Partnerships")).to_be_hidden()
    assert_no_sideways_scroll(page)
    open_menu(page)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Partnerships")).to_be_visible()
    assert_no_sideways_scroll(page)
    close_menu(page)

    # Their own section's profile.
    page.locator("main").get_by_role("link", name="Alpha Section").first.click()
    expect(page.get_by_role("heading", name="Alpha Section", level=1)).to_be_visible()
    expect(page.get_by_text(world.a.contact_email)).to_be_visible()
    assert_no_sideways_scroll(page)

    # The partnership list: the results first, the filters behind their button.
    go_by_menu(page, "Partnerships")
    expect(page.get_by_role("heading", name="1 partnership", exact=True)).to_be_visible()
    assert_no_sideways_scroll(page)
    filters = page.get_by_role("search", name="Filter partnerships")
    expect(filters).to_be_hidden()
    expect(page.get_by_role("button", name="Filter", exact=True)).to_be_visible()
    open_filters(page)
    expect(filters).to_be_visible()
    assert_no_sideways_scroll(page)
    filters.get_by_label("Status").select_option(label="Active")
    filters.get_by_role("button", name="Show partnerships").click()
    expect(page).to_have_url(re.compile(r"[?&]status=active(&|$)"))
    # Folded again, its button counts the filter in use.
    expect(page.get_by_role("button", name="Filter (1)")).to_be_visible()
    expect(filters).to_be_hidden()
    assert_no_sideways_scroll(page)

    # A partnership's page.
    page.get_by_role("link", name=partnership.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.title)
    assert_no_sideways_scroll(page)

    # A form: the section profile's, saved.
    page.goto(f"/sections/{world.a.slug}/edit/")
    assert_no_sideways_scroll(page)
    page.get_by_label("City").fill("Rotterdam")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("The profile of Alpha Section was saved.")
    assert_no_sideways_scroll(page)

    log_out(page)
    assert_no_sideways_scroll(page)


def test_a_coordinator_reads_the_dashboard_and_filters_the_directory_on_a_phone(phone_page: Page, world):
    page = phone_page
    running(world)

    log_in(page, world.coordinator_a.email)
    assert_no_sideways_scroll(page)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("District A dashboard")
    assert_no_sideways_scroll(page)

    go_by_menu(page, "Sections")
    expect(page.get_by_role("heading", name="2 sections", exact=True)).to_be_visible()
    assert_no_sideways_scroll(page)
    filters = page.get_by_role("search", name="Filter sections")
    expect(filters).to_be_hidden()
    expect(page.get_by_role("button", name="Filter", exact=True)).to_be_visible()
    open_filters(page)
    # The country list narrows as one types; the one country left is the one shown.
    filters.get_by_role("searchbox", name="Type to narrow the list").fill("keny")
    expect(filters.locator("#id_country-filter-status")).to_have_text("1 of 2 shown")
    filters.get_by_label("Country").select_option(label="Kenya")
    filters.get_by_role("button", name="Show sections").click()
    expect(page.get_by_role("heading", name="1 section", exact=True)).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="Beta Section")).to_be_visible()
    expect(page.get_by_role("button", name="Filter (1)")).to_be_visible()
    assert_no_sideways_scroll(page)


def test_a_society_admin_reads_the_society_dashboard_on_a_phone(phone_page: Page):
    page = phone_page
    society = build_society()

    log_in(page, society.staff.email)
    assert_no_sideways_scroll(page)
    page.goto("/dashboard/society/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Society dashboard")
    assert_no_sideways_scroll(page)
    page.locator("#network-table tr[data-pair=da-db]").get_by_role("link", name="2").click()
    expect(page.get_by_role("heading", name="2 partnerships")).to_be_visible()
    assert_no_sideways_scroll(page)


def test_an_officer_finds_and_picks_working_languages_by_typing(page: Page, world):
    world.a.working_languages.set(Language.objects.filter(code="en"))
    log_in(page, world.officer_a.email)
    page.goto(f"/sections/{world.a.slug}/edit/")

    languages = page.get_by_label("Working languages")
    expect(languages).to_have_values(["en"])
    chosen = page.locator("#id_working_languages-chosen")
    expect(chosen).to_have_text("Chosen: English")
    search = page.get_by_role("searchbox", name="Type to narrow the list").and_(
        page.locator("#id_working_languages-filter")
    )

    # Typing narrows the list; a click adds a language and keeps the others.
    search.fill("swah")
    expect(languages.locator("option:not([hidden])")).to_have_text(["Swahili"])
    languages.locator("option", has_text="Swahili").click()
    search.fill("wels")
    expect(languages.locator("option:not([hidden])")).to_have_text(["Welsh"])
    languages.locator("option", has_text="Welsh").click()
    expect(chosen).to_have_text("Chosen: English, Swahili, Welsh")
    # A second click drops one.
    search.fill("")
    languages.locator("option", has_text=re.compile(r"^English$")).click()
    expect(chosen).to_have_text("Chosen: Swahili, Welsh")

    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("The profile of Alpha Section was saved.")
    expect(page.get_by_text("Swahili, Welsh")).to_be_visible()
    assert set(world.a.working_languages.values_list("code", flat=True)) == {"cy", "sw"}
