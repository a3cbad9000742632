"""Two sections' leads co-sign the final evaluation in a real browser, and the partnership
completes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import Evaluation
from partnerships.models import Partnership, Status
from twinning.tests.browser import field, log_in, log_out

from .closing_helpers import publish_lesson
from .monitoring import activate, d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_leads_co_sign_the_final_evaluation_and_the_partnership_completes(page: Page, world):
    partnership = activate(world, d(1, 15))
    publish_lesson(partnership, world.a, world.officer_a)

    # Alpha's lead starts the evaluation from the partnership page, writes and confirms.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#evaluation").get_by_role("link", name="Start the final evaluation").click()
    page.get_by_role("button", name="Start the final evaluation").click()
    expect(page.get_by_role("status").first).to_contain_text("either side can fill it in")
    page.get_by_role("textbox", name="What was achieved").fill("Two exchanges ran; both sections grew.")
    field(page, "What Alpha Section gave").fill("Speakers")
    field(page, "What Alpha Section gained").fill("Exchange students")
    field(page, "Transfer of knowledge").select_option("4")
    page.get_by_label("Will the relationship continue?").select_option("yes")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The evaluation was saved.")
    expect(page.get_by_text("Beta Section has not said yet")).to_be_visible()
    log_out(page)

    # Beta's lead writes its own part and confirms; then Alpha's lead confirms too.
    log_in(page, world.officer_b.email)
    page.goto(f"/partnerships/{partnership.pk}/evaluation/final/")
    expect(page.get_by_text("Student hosts")).to_be_visible()  # what Beta promised to give
    field(page, "What Beta Section gave").fill("Student hosts")
    field(page, "What Beta Section gained").fill("Technical talks")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Confirm for Beta Section").click()
    expect(page.get_by_role("status").first).to_contain_text("Confirmed for Beta Section")
    log_out(page)

    log_in(page, world.officer_a.email)
    page.goto(f"/partnerships/{partnership.pk}/evaluation/final/")
    page.get_by_role("button", name="Confirm for Alpha Section").click()
    expect(page.get_by_role("status").first).to_contain_text("the evaluation is final")

    page.goto(f"/partnerships/{partnership.pk}/do/complete/")
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status").first).to_contain_text("The partnership is complete.")

    assert Partnership.objects.get(pk=partnership.pk).status == Status.COMPLETED
    assert Evaluation.objects.get(partnership=partnership).is_final
