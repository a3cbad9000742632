"""A partner's officer writes a lesson from the partnership page and publishes it; an
officer of a third section finds it with an unaccented word and marks it helpful; in a
real browser, without JavaScript doing any of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import Lesson
from partnerships.tests.conftest import endorsed
from sections.tests.factories import OfficerFactory
from twinning.tests.browser import field, go_by_menu, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lesson_is_written_published_found_and_marked_helpful(page: Page, world):
    partnership = endorsed(world)
    reader = OfficerFactory(user__email="reader@example.org").user

    log_in(page, world.officer_b.email)
    page.goto(f"/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Write a lesson").click()
    field(page, "Title").fill("Host the first exchange in Bogotá")
    field(page, "Context").fill("Two sections, two continents.")
    field(page, "What happened").fill("The first visit was planned in three weeks.")
    field(page, "What we learned").fill("Start the visa letters two months ahead.")
    field(page, "Our recommendation").fill("Plan the first visit a semester ahead.")
    page.get_by_label("Funding").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=re.compile("Host the first exchange in Bogotá"))).to_be_visible()
    log_out(page)

    log_in(page, reader.email)
    go_by_menu(page, "Lessons")
    page.get_by_label("Search", exact=True).fill("bogota")
    page.get_by_role("button", name="Show lessons").click()
    expect(page).to_have_url(re.compile(r"q=bogota"))
    page.get_by_role("link", name="Host the first exchange in Bogotá").click()
    page.get_by_role("button", name="This helped us").click()
    expect(page.get_by_role("heading", name="This lesson helped 1 reader.")).to_be_visible()
    assert Lesson.objects.get().helpful_count == 1
