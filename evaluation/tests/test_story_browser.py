"""A visitor who is not signed in reads what a completed partnership achieved, in a real
browser: from the home page to the story, its photo shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .story_helpers import complete, final_evaluation, published_lesson, running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_a_completed_partnerships_story_from_the_home_page(page: Page, world):
    partnership = running(world)
    published_lesson(world, partnership)
    final_evaluation(world, partnership)
    complete(world, partnership)

    page.goto("/")
    page.get_by_role("link", name="Read what twinned sections achieved").click()

    card = page.get_by_role("article", name="Two sections, one summer school")
    expect(card).to_contain_text("Alpha Section")
    expect(card).to_contain_text("Kenya")
    card.get_by_role("link", name="Two sections, one summer school").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two sections, one summer school")
    expect(page.get_by_text("Our labs run the partner's course now.")).to_be_visible()
    photo = page.get_by_role("img", name="Photo of “Two sections, one summer school”")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.naturalWidth") == 1
