"""A person who forgot their password asks for a link, opens it from the mail, chooses a new
password and logs in with it; in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from twinning.tests.browser import field
from twinning.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_forgotten_password_to_a_new_one_through_the_mailed_link(page: Page, live_server, settings):
    # Mail is written outside a request: its links start at the site's address.
    settings.SITE_URL = live_server.url
    UserFactory(email="ana@example.org", full_name="Ana Silva")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    field(page, "Email").fill("ana@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    link = re.search(rf"{re.escape(live_server.url)}/accounts/reset/\S+", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    field(page, "New password").fill("a-new-long-passphrase")
    field(page, "New password confirmation").fill("a-new-long-passphrase")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Password").fill("a-new-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("You are logged in.")).to_be_visible()
    expect(page.get_by_text("Signed in as Ana Silva")).to_be_visible()

    # The link was for one use.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
