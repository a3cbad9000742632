"""A chair invites a treasurer, who comes in by the mailed link, in a real browser."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sections.models import Invitation, Officer
from sections.services import invitation_create
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.models import OutgoingMail
from twinning.tests.browser import field, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105 - test fixture


def mailed_link(email: str) -> str:
    """The path of the newest invitation link mailed to `email`."""
    text = OutgoingMail.objects.filter(to=email, template_name="sections/email/invitation").latest("pk").text
    return re.search(r"https?://[^/\s]+(/accounts/invitation/[\w-]+/)", text).group(1)


def test_a_chair_invites_a_treasurer_who_comes_in_by_the_link_once(page: Page):
    delft = SectionFactory(name="Delft Section", slug="delft")
    chair = OfficerFactory(section=delft, role=Officer.Role.CHAIR).user

    # 1. The chair invites a treasurer from the section's page.
    log_in(page, chair.email)
    page.goto("/sections/delft/")
    expect(page.get_by_role("heading", name="Pending invitations")).to_be_visible()
    page.get_by_role("link", name="Invite an officer").click()
    field(page, "Email address").fill("tess@example.org")
    field(page, "Office").select_option(label="Treasurer")
    page.get_by_role("button", name="Send the invitation").click()

    expect(page).to_have_url(re.compile(r"/sections/delft/$"))
    expect(page.get_by_role("status")).to_contain_text("tess@example.org is invited as Treasurer")
    invitations = page.locator("section[aria-labelledby=h-invitations]")
    expect(invitations.get_by_role("cell", name="tess@example.org", exact=True)).to_be_visible()
    log_out(page)

    # 2. The treasurer opens the mailed link, chooses a name and a password, and lands on the
    #    section's page as one of its officers.
    link = mailed_link("tess@example.org")
    page.goto(link)
    expect(page.get_by_text("Your account will be tess@example.org")).to_be_visible()
    # Django's validators answer first: a password too like the address is refused.
    field(page, "Full name").fill("Tess Treasurer")
    field(page, "Password").fill("tess@example.org")
    field(page, "Password again").fill("tess@example.org")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    field(page, "Password").fill(NEW_PASSWORD)
    field(page, "Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/sections/delft/$"))
    expect(page.get_by_role("status")).to_contain_text("Welcome: you are Treasurer of Delft Section")
    expect(page.get_by_role("heading", name="Delft Section", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()
    officers = page.locator("section[aria-labelledby=h-officers]")
    expect(officers.get_by_role("cell", name="Tess Treasurer", exact=True)).to_be_visible()
    # Accepted, the invitation has left the pending list.
    expect(page.locator("section[aria-labelledby=h-invitations]").get_by_text("tess@example.org")).to_have_count(0)

    # 3. The link cannot be used twice.
    log_out(page)
    page.goto(link)
    expect(page.get_by_text("This invitation has already been used")).to_be_visible()
    expect(page.get_by_role("button", name="Create my account")).to_have_count(0)
    assert Officer.objects.filter(section=delft, role=Officer.Role.TREASURER).count() == 1


def test_an_expired_link_is_refused_with_an_explanation_and_asks_for_a_new_one(page: Page):
    chair = OfficerFactory(section=SectionFactory(name="Gent Section", slug="gent")).user
    invitation_create(
        actor=chair, section=chair.offices.get().section, email="sam@example.org", role=Officer.Role.SECRETARY,
        start_date=timezone.localdate(),
    )
    link = mailed_link("sam@example.org")
    # A week and a day later, as far as the link is concerned.
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))

    page.goto(link)

    expect(page.get_by_text(re.compile(r"This link expired on"))).to_be_visible()
    expect(page.get_by_role("button", name="Create my account")).to_have_count(0)
    page.get_by_role("button", name="Ask for a new link").click()
    expect(page.get_by_role("heading", name="Your request is on its way")).to_be_visible()
    asked = OutgoingMail.objects.get(template_name="sections/email/invitation_renewal")
    assert asked.to == chair.email
