"""A society admin pages through the partnership list by its numbered links, in the list's order,
with a search kept from page to page; a page number past the end shows the last page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from partnerships.tests.factories import PartnershipFactory
from twinning.tests.browser import log_in
from twinning.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paging_through_the_partnership_list(page, live_server):
    admin = UserFactory(society_admin=True)
    for number in range(30):
        PartnershipFactory(title=f"Bridge {number:02d}", purpose="Robotics bridge")
    PartnershipFactory(title="Unrelated", purpose="Something else")
    # The list shows the most recently changed first: Bridge 29 first, Bridge 00 last.
    for number, partnership in enumerate(Partnership.objects.filter(title__startswith="Bridge").order_by("title")):
        Partnership.objects.filter(pk=partnership.pk).update(
            updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=number))

    log_in(page, admin.email)
    page.goto(f"{live_server.url}/partnerships/?q=bridge")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Showing 1–25 of 30")
    expect(page.get_by_role("link", name="Bridge 29")).to_be_visible()
    expect(page.get_by_role("link", name="Bridge 04")).to_have_count(0)

    pages.get_by_role("link", name="Page 2").click()
    expect(pages).to_contain_text("Showing 26–30 of 30")
    expect(page.get_by_role("link", name="Bridge 04")).to_be_visible()
    expect(page.get_by_role("link", name="Bridge 05")).to_have_count(0)
    expect(page.get_by_role("link", name="Unrelated")).to_have_count(0)

    pages.get_by_role("link", name="Previous").click()
    expect(pages).to_contain_text("Showing 1–25 of 30")

    page.goto(f"{live_server.url}/partnerships/?q=bridge&page=99")
    expect(pages).to_contain_text("Showing 26–30 of 30")
