"""A lead files an overdue check-in from the home page, in a real browser."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluation.models import CheckIn, IndicatorActual
from evaluation.services.checkins import schedule_extend
from partnerships import services
from partnerships.models import Indicator
from partnerships.tests.conftest import endorsed, make_ready
from twinning.tests.browser import expect_accessible_chart, field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.on_a_phone_too
def test_an_officer_files_an_overdue_checkin_from_the_home_page(page: Page, world):
    # Activated five months ago: the first quarter's report is overdue.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=150), tick=False):
        partnership = make_ready(world, endorsed(world))
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
    objective = partnership.goals.get().objectives.get()
    Indicator.objects.create(
        partnership=partnership, objective=objective, name="Students exchanged", unit="students",
        target=6, target_date=timezone.localdate() + datetime.timedelta(days=200),
    )
    schedule_extend(partnership=partnership, today=timezone.localdate())

    log_in(page, world.officer_a.email)
    overdue = page.get_by_role("list", name="Overdue")
    expect(overdue).to_contain_text("Alpha Section")
    overdue.get_by_role("link", name=partnership.title).click()

    page.get_by_role("radio", name="At risk").check()
    field(page, "What was done in this period").fill("Two webinars; visit dates still open.")
    page.get_by_role("group", name="What your section received from the partner").get_by_role(
        "radio", name="4 — good"
    ).check()
    field(page, "Students exchanged: actual value (students)").fill("2")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("status").first).to_contain_text("The check-in was submitted.")
    checkins = page.locator("#checkins")
    expect(checkins.get_by_text("Submitted on").first).to_be_visible()
    expect(checkins.get_by_text("late").first).to_be_visible()
    expect_accessible_chart(
        checkins.locator("figure").filter(has_text="Students exchanged"),
        title="Students exchanged", x_label="Date measured", y_label="students",
    )
    expect(checkins.locator("figure").get_by_role("table")).to_contain_text("Alpha Section")

    checkin = CheckIn.objects.get(period__partnership=partnership, period__number=0, section=world.a)
    assert (checkin.state, checkin.overall, checkin.received_rating, checkin.late) == (
        CheckIn.State.SUBMITTED, CheckIn.Overall.AT_RISK, 4, True,
    )
    assert IndicatorActual.objects.get(checkin=checkin).value == 2
