"""A nomination walks section → district → society in a real browser: the officer writes and
submits it, the coordinator returns it with a comment, then forwards it; a society admin
awards it in the admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import Partnership
from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import LedgerEntry, Nomination, PointRule
from twinning.models import OutgoingMail
from twinning.tests.browser import field, go_by_menu, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.on_a_phone_too
def test_a_nomination_goes_from_the_section_through_the_district_to_the_society(page: Page, world):
    year = timezone.localdate().year
    partnership = endorsed(world)
    rule = PointRule.objects.get(event="activated")
    LedgerEntry.objects.create(
        section=world.a, points=rule.points, rule=rule, source_type=ContentType.objects.get_for_model(Partnership),
        source_id=partnership.pk, partnership=partnership, award_year=year, occurred_on=datetime.date(year, 1, 2),
        reason="Agreement activated",
    )

    # The section's officer starts the nomination from the main menu, writes and submits it.
    log_in(page, world.officer_a.email)
    go_by_menu(page, "Nominations")
    page.get_by_role("button", name=f"Start Alpha Section's nomination for {year}").click()
    expect(page.get_by_role("status").first).to_contain_text("Nomination started")
    field(page, "Why this section deserves the award").fill("We ran two exchanges with Beta.")
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_role("button", name="Submit to the district").click()
    expect(page.get_by_role("status").first).to_contain_text("submitted to your district coordinators")
    expect(page.get_by_text(f"Total: {rule.points} points")).to_be_visible()
    expect(page.get_by_role("cell", name="Alpha and Beta")).to_be_visible()
    log_out(page)

    # The coordinator returns it with a comment.
    log_in(page, world.coordinator_a.email)
    page.goto("/recognition/nominations/")
    page.get_by_role("link", name=f"Alpha Section — {year}").click()
    page.get_by_label("Return to the section").check()
    page.get_by_role("button", name="Send the review").click()
    expect(page.get_by_text("Say what the section should change")).to_be_visible()
    page.get_by_label("Return to the section").check()
    field(page, "Comment").fill("Add how many students travelled.")
    page.get_by_role("button", name="Send the review").click()
    expect(page.get_by_role("status").first).to_contain_text("returned to the section")
    log_out(page)

    # The officer reads the comment, completes the narrative and submits again.
    log_in(page, world.officer_a.email)
    page.goto("/recognition/nominations/")
    page.get_by_role("link", name=f"Alpha Section — {year}").click()
    expect(page.get_by_text("Add how many students travelled.")).to_be_visible()
    field(page, "Why this section deserves the award").fill("We ran two exchanges with Beta; eight students travelled.")
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_role("button", name="Submit to the district").click()
    expect(page.get_by_test_id("nomination-state")).to_have_text("Submitted to the district")
    log_out(page)

    # The coordinator forwards it to the society.
    log_in(page, world.coordinator_a.email)
    page.goto("/recognition/nominations/")
    page.get_by_role("link", name=f"Alpha Section — {year}").click()
    page.get_by_label("Forward to the society").check()
    page.get_by_role("button", name="Send the review").click()
    expect(page.get_by_role("status").first).to_contain_text("forwarded to the society")
    log_out(page)

    # A society admin awards it in the admin.
    log_in(page, world.staff.email)
    page.goto("/admin/recognition/nomination/")
    page.get_by_role("row", name="Alpha Section").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("award")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 nomination(s) decided")).to_be_visible()

    nomination = Nomination.objects.get(section=world.a, award_year=year)
    assert nomination.state == Nomination.State.AWARDED
    assert list(nomination.steps.values_list("to_state", flat=True)) == [
        "draft", "submitted", "returned", "submitted", "forwarded", "awarded"
    ]
    assert OutgoingMail.objects.filter(to=world.officer_a.email, subject__contains="receives the performance award").exists()
