"""In a real browser: an officer thanks a volunteer from the partnership page, opens the
printable certificate and its PDF, and finds the person on the section's recognition page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import Acknowledgement
from twinning.models import OutgoingMail
from twinning.tests.browser import field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_acknowledges_a_volunteer_and_prints_the_certificate(page: Page, world):
    partnership = endorsed(world)
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#acknowledgements").get_by_role("link", name="Acknowledge someone").click()

    field(page, "Name").fill("Vera Volunteer")
    field(page, "Email").fill("vera@example.org")
    field(page, "Role in the partnership").fill("Exchange coordinator")
    field(page, "What they did").fill("Found host families for twenty students.")
    field(page, "Hours, if known").fill("120")
    page.get_by_role("button", name="Acknowledge").click()

    certificate = page.get_by_role("article")
    expect(certificate.get_by_role("heading", name="Certificate of acknowledgement")).to_be_visible()
    expect(certificate).to_contain_text("Vera Volunteer")
    expect(certificate).to_contain_text("Alpha Section")
    expect(certificate).to_contain_text("Beta Section")
    expect(certificate).to_contain_text("Ann Alpha")
    expect(page.get_by_role("status").first).to_contain_text("on its way by email")
    assert OutgoingMail.objects.filter(to="vera@example.org").count() == 1

    # Printed: the site's navigation is left out.
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Download as PDF")).to_be_hidden()
    page.emulate_media(media="screen")
    pdf = page.request.get(page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The section's recognition page lists the person, with the address for its officers.
    page.goto(world.a.get_absolute_url())
    page.locator("#recognition").get_by_role("link").click()
    people = page.get_by_role("region", name="People acknowledged")
    expect(people).to_contain_text("Vera Volunteer")
    expect(people).to_contain_text("vera@example.org")
    assert Acknowledgement.objects.get().acknowledged_by == world.officer_a
