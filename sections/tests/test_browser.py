"""An officer's journey through the section directory and their own profile, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sections.models import Section
from sections.tests.factories import (
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
from twinning.tests.browser import log_in
from twinning.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_own_section_and_edits_only_its_profile(page: Page):
    robotics = TechnicalInterestFactory(name="Robotics", slug="robotics")
    power = TechnicalInterestFactory(name="Power systems", slug="power-systems")
    benelux = DistrictFactory(code="benelux", name="Benelux")
    central = DistrictFactory(code="central", name="Central Europe")
    delft = SectionFactory(
        name="Delft Section",
        slug="delft",
        district=benelux,
        country="NL",
        city="Delft",
        member_count=40,
        founded_year=1995,
        interests=[robotics],
    )
    aachen = SectionFactory(
        name="Aachen Section",
        slug="aachen",
        district=central,
        country="DE",
        city="Aachen",
        time_zone="Europe/Berlin",
        interests=[robotics],
    )
    SectionFactory(
        name="Utrecht Section",
        slug="utrecht",
        district=benelux,
        country="NL",
        city="Utrecht",
        interests=[power],
    )
    officer = OfficerFactory(section=delft).user
    UserFactory()  # someone else, so the login has to pick the right account

    # 1. The officer logs in.
    log_in(page, officer.email)

    # 2. The directory, narrowed to Dutch sections interested in robotics.
    page.goto("/sections/")
    results = page.locator("section[aria-labelledby=h-results]")
    expect(page.get_by_role("heading", name="3 sections")).to_be_visible()
    filters = page.get_by_role("search", name="Filter sections")
    filters.get_by_label("Country").select_option(label="Netherlands")
    filters.get_by_label("Technical interest").select_option(label="Robotics")
    filters.get_by_role("button", name="Show sections").click()

    expect(page).to_have_url(re.compile(r"/sections/\?.*country=NL"))
    expect(page).to_have_url(re.compile(r"[?&]interest=robotics(&|$)"))
    expect(page.get_by_role("heading", name="1 section", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Delft Section", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Aachen Section")).to_have_count(0)
    expect(results.get_by_role("link", name="Utrecht Section")).to_have_count(0)
    # The filter form remembers what was chosen.
    expect(filters.get_by_label("Country")).to_have_value("NL")
    expect(filters.get_by_label("Technical interest")).to_have_value("robotics")

    # 3. Open Delft's profile from the list and change it.
    results.get_by_role("link", name="Delft Section", exact=True).click()
    expect(page.get_by_role("heading", name="Delft Section", level=1)).to_be_visible()
    page.get_by_role("link", name="Edit profile").click()
    expect(page).to_have_url(re.compile(r"/sections/delft/edit/$"))
    expect(page.get_by_label("City")).to_have_value("Delft")
    page.get_by_label("City").fill("Eindhoven")
    page.get_by_label("Members").fill("120")
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(r"/sections/delft/$"))
    expect(page.get_by_role("status")).to_contain_text("The profile of Delft Section was saved.")
    expect(page.get_by_text("Eindhoven, Netherlands")).to_be_visible()
    delft.refresh_from_db()
    assert (delft.city, delft.member_count, delft.founded_year) == ("Eindhoven", 120, 1995)

    # 4. The search box finds what was typed, whatever its case and accents: the new city with
    # an interest, then a section of Zürich typed "zurich"; a click opens the one found.
    SectionFactory(name="ETH Student Section", slug="eth", country="CH", city="Zürich", time_zone="Europe/Zurich")
    page.goto("/sections/")
    filters = page.get_by_role("search", name="Filter sections")
    filters.get_by_label("Search").fill("EINDHOVEN robotics")
    filters.get_by_role("button", name="Show sections").click()
    expect(page.get_by_role("heading", name="1 section", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Delft Section", exact=True)).to_be_visible()
    filters.get_by_label("Search").fill("zurich")
    filters.get_by_role("button", name="Show sections").click()
    expect(page).to_have_url(re.compile(r"[?&]q=zurich(&|$)"))
    results.get_by_role("link", name="ETH Student Section").click()
    expect(page.get_by_role("heading", name="ETH Student Section", level=1)).to_be_visible()

    # 4. Another section's edit page does not exist for this officer.
    response = page.goto(f"/sections/{aachen.slug}/edit/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    expect(page.get_by_role("button", name="Save profile")).to_have_count(0)

    # 5. Back on Delft's edit page, values that make no sense are refused.
    page.goto("/sections/delft/edit/")
    members = page.get_by_label("Members")
    founded = page.get_by_label("Founded in")

    posts: list[str] = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    # a) The browser itself will not send a negative member count (min="0").
    members.fill("-5")
    assert members.evaluate("el => el.validity.rangeUnderflow") is True
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(re.compile(r"/sections/delft/edit/$"))
    expect(page.get_by_text("Nothing was saved.")).to_have_count(0)

    # b) A founding year in the future gets past the browser; the server refuses it.
    next_year = timezone.now().year + 1
    members.fill("130")
    founded.fill(str(next_year))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Nothing was saved. Please correct the fields marked below."
    )
    expect(page.get_by_text("The founding year cannot be in the future.")).to_be_visible()
    expect(founded).to_have_value(str(next_year))
    assert len(posts) == 1, "only the future-year form reached the server, not the negative count"

    # c) Without the browser's check (an old browser, a script), the server refuses a
    #    negative member count too.
    founded.fill("1995")
    members.fill("-5")
    page.locator("form:has(#id_member_count)").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(page.get_by_text("Ensure this value is greater than or equal to 0.")).to_be_visible()
    assert len(posts) == 2

    delft = Section.objects.get(pk=delft.pk)
    assert (delft.city, delft.member_count, delft.founded_year) == ("Eindhoven", 120, 1995)
