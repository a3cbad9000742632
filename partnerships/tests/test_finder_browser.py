"""An officer with many suggestions reads the first twenty, the true total, and follows
"Show more" to the rest, with JavaScript switched off; a filter chosen before stays."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sections.models import Language
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_show_more_without_javascript(browser, live_server):
    home = SectionFactory(name="Home", slug="home", country="NL")
    home.working_languages.set(Language.objects.filter(code="en"))
    officer = OfficerFactory(section=home).user
    for number in range(23):
        OfficerFactory(section=SectionFactory(name=f"Candidate {number:02d}", slug=f"candidate-{number:02d}",
                                              country="KE", time_zone="Africa/Nairobi"))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, officer.email)
        page.goto("/sections/home/partners/?kind=professional")

        expect(page.get_by_role("heading", name="23 suggestions")).to_be_visible()
        expect(page.get_by_text("Showing 1–20, best first.")).to_be_visible()
        cards = page.locator("li[id^=match-]")
        expect(cards).to_have_count(20)
        expect(page.locator("#match-candidate-20")).to_have_count(0)

        page.get_by_role("link", name="Show 3 more").click()

        expect(page).to_have_url(re.compile(r"/partners/\?kind=professional&show=40#match-candidate-20$"))
        expect(cards).to_have_count(23)
        expect(page.get_by_text("Showing 1–23, best first.")).to_be_visible()
        expect(page.get_by_role("heading", name="Candidate 22")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("^Show .* more$"))).to_have_count(0)
        expect(page.get_by_role("search", name="Filter suggestions").get_by_label("Kind")).to_have_value("professional")
    finally:
        context.close()
