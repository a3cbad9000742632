"""An officer hears of a proposal through the bell: its count, the inbox, the notice opened
(it is read, and the partnership shows); then on the profile they choose to hear of
proposals in the inbox only; in a real browser."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase
from playwright.sync_api import Page, expect

from partnerships.tests.conftest import propose
from twinning.models import Delivery, Notice, NoticeKind, NoticePreference
from twinning.tests.browser import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_leads_to_the_inbox_a_notice_opens_read_and_a_preference_is_changed(page: Page, world):
    with TestCase.captureOnCommitCallbacks(execute=False):
        partnership = propose(world)
    notice = Notice.objects.get(user=world.officer_b)

    log_in(page, world.officer_b.email)
    bell = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(r"^Inbox"))
    expect(bell.locator("#unread-count")).to_have_text(re.compile(r"^1\s+unread$"))
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    item = page.locator("#notices li").first
    expect(item).to_contain_text("New")
    item.get_by_role("button", name=notice.subject, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{partnership.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(partnership.title)
    expect(bell).to_be_visible()
    expect(bell.locator("#unread-count")).to_have_count(0)
    bell.click()
    expect(page.locator("#notices li").first).not_to_contain_text("New")
    notice.refresh_from_db()
    assert notice.read_at is not None

    go_by_menu(page, "Your profile")
    page.locator("#div_id_notices-transitions").get_by_label("Only in the inbox").check()
    page.get_by_role("button", name="Save how you hear").click()
    expect(page.get_by_text("How you hear of each kind of notice is saved.")).to_be_visible()
    expect(page.locator("#div_id_notices-transitions").get_by_label("Only in the inbox")).to_be_checked()
    assert list(NoticePreference.objects.filter(user=world.officer_b).values_list("kind", "delivery")) == [
        (NoticeKind.TRANSITIONS, Delivery.INBOX)
    ]
