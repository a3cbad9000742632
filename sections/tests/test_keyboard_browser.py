"""An officer who uses only the keyboard logs in, finds their section, and corrects its profile:
Tab, Shift+Tab, Enter, Space and typing, no click. A refused form puts the focus on the field in
error (static/js/form-errors.js), and what was saved is announced as a status."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sections.models import Section
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.browser import field, tab_to
from twinning.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def replace_text(page: Page, text: str) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_an_officer_corrects_their_section_profile_with_the_keyboard_alone(page: Page):
    delft = SectionFactory(name="Delft Section", slug="delft", city="Delft", founded_year=1995, member_count=40)
    SectionFactory(name="Utrecht Section", slug="utrecht", city="Utrecht")
    officer = OfficerFactory(section=delft).user

    # Logging in: the page starts in the email field, Tab leads to the password, Enter sends it.
    page.goto("/accounts/login/")
    expect(field(page, "Email address")).to_be_focused()
    page.keyboard.type(officer.email)
    page.keyboard.press("Tab")
    expect(field(page, "Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # The directory from the main navigation, searched, and the section opened from the results.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Sections"))
    page.keyboard.press("Enter")
    search = page.get_by_role("search", name="Filter sections").get_by_label("Search")
    tab_to(page, search)
    page.keyboard.type("delft")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 section", exact=True)).to_be_visible()
    results = page.locator("section[aria-labelledby=h-results]")
    tab_to(page, results.get_by_role("link", name="Delft Section", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Delft Section", level=1)).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Edit profile"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the profile of Delft Section")

    # A founding year in the future is refused: the focus lands on that field, with its message.
    # (Between the city and the year lie the working languages' checkboxes.)
    next_year = str(timezone.now().year + 1)
    tab_to(page, field(page, "City"))
    replace_text(page, "Eindhoven")
    founded = field(page, "Founded in")
    tab_to(page, founded, limit=400)
    replace_text(page, next_year)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved. Please correct the fields marked below.")
    expect(founded).to_be_focused()
    expect(founded).to_have_value(next_year)
    expect(founded).to_have_accessible_description(re.compile("The founding year cannot be in the future."))
    expect(field(page, "City")).to_have_value("Eindhoven")

    # Corrected where the focus already is; an interest ticked with Space; sent with Enter from
    # the year: the saving is announced.
    replace_text(page, "1996")
    robotics_box = page.locator("[name=interests]").and_(
        page.get_by_role("checkbox", name="Robotics and motion control", exact=True)
    )
    tab_to(page, robotics_box)
    page.keyboard.press("Space")
    expect(robotics_box).to_be_checked()
    tab_to(page, founded, backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sections/delft/$"))
    expect(page.get_by_role("status")).to_contain_text("The profile of Delft Section was saved.")
    expect(page.get_by_text("Eindhoven, Netherlands")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=re.compile("^Robotics and motion control$"))).to_be_visible()
    delft = Section.objects.get(pk=delft.pk)
    assert (delft.city, delft.founded_year) == ("Eindhoven", 1996)
    assert list(delft.interests.values_list("name", flat=True)) == ["Robotics and motion control"]
