"""A society admin gives a technical interest its words in other languages in the admin, and a
reader of one of them finds it in their own, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sections.models import TechnicalInterest
from sections.tests.factories import OfficerFactory
from twinning.models import User
from twinning.tests.browser import log_in, log_out, open_filters
from twinning.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_translates_an_interest_and_a_spanish_reader_finds_it_in_spanish(page: Page):
    admin = UserFactory(is_staff=True, is_superuser=True)
    reader = OfficerFactory(user__language="es").user
    log_in(page, admin.email)
    page.goto("/admin/sections/technicalinterest/add/")
    page.get_by_label(re.compile(r"^Name:?$")).press_sequentially("Marine robotics")
    expect(page.get_by_label(re.compile(r"^Slug:?$"))).to_have_value("marine-robotics")
    page.get_by_label(re.compile(r"^name \(español\):?$", re.IGNORECASE)).fill("Robótica marina")
    page.get_by_label(re.compile(r"^name \(français\):?$", re.IGNORECASE)).fill("Robotique marine")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"“Marine robotics” was added successfully"))).to_be_visible()
    interest = TechnicalInterest.objects.get(slug="marine-robotics")
    assert interest.translations == {"es": {"name": "Robótica marina"}, "fr": {"name": "Robotique marine"}}
    log_out(page)

    log_in(page, reader.email)
    page.goto("/sections/")
    open_filters(page)
    interests = page.locator("#id_interest")
    expect(interests.get_by_role("option", name="Robótica marina")).to_have_count(1)
    # A missing translation falls back to the English.
    expect(interests.get_by_role("option", name="Marine robotics")).to_have_count(0)
    User.objects.filter(pk=reader.pk).update(language="pt")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.locator("#id_interest").get_by_role("option", name="Marine robotics")).to_have_count(1)
