"""The proposal's questions in a real browser: an officer ticks financial support, its
questions appear (and only its), she answers them and sends; the partner's officer reads
them on the answer page before accepting."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerships.models import FormIntent
from twinning.tests.browser import field, log_in, log_out, pick_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Alpha funds Beta's lab"


def test_financial_support_questions_appear_and_reach_the_partner(page: Page, world):
    log_in(page, world.officer_a.email)
    page.goto(f"/partnerships/propose/{world.a.slug}/")
    expect(page.get_by_text("A financially strong section helps fund a deserving section")).to_be_visible()
    financial = page.locator('[data-questions-for="financial-support"]')
    growing = page.locator('[data-questions-for="growing-section"]')
    expect(financial).to_be_hidden()

    field(page, "Financial support").check()
    expect(financial).to_be_visible()
    expect(growing).to_be_hidden()
    pick_section(page, "Partner section", "Beta", "Beta Section")
    field(page, "Title").fill(TITLE)
    field(page, "Purpose").fill("Instruments for Beta's student lab.")
    field(page, "Start date").fill("2027-01-01")
    field(page, "Planned end date").fill("2028-06-30")
    field(page, "What your section gives").fill("Money for instruments")
    field(page, "What your section expects to gain").fill("Talks by Beta's students")
    financial.get_by_label("Our section (Alpha Section)").check()
    field(page, "Approximate amount").fill("2500")
    field(page, "Currency").fill("EUR")
    page.get_by_role("button", name="Send the proposal").click()

    # What the giver gains is required: the page says so and keeps the questions open.
    expect(page.get_by_text("Answer this for “Financial support”.")).to_be_visible()
    expect(financial).to_be_visible()
    field(page, "What the giving side gains in return").fill("Beta's students present at our meetings")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("status").first).to_contain_text("The proposal was sent.")
    intent = FormIntent.objects.get()
    assert (intent.giver, str(intent.amount), intent.currency) == (world.a, "2500.00", "EUR")
    log_out(page)

    log_in(page, world.officer_b.email)
    page.goto("/partnerships/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Accept or decline").click()
    intents = page.get_by_role("region", name="What the proposal means by each form of twinning")
    expect(intents).to_contain_text("Financial support")
    expect(intents).to_contain_text("Alpha Section")
    expect(intents).to_contain_text("2500.00 EUR")
    expect(intents).to_contain_text("Beta's students present at our meetings")
