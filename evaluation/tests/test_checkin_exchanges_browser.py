"""The issue's journey, in a real browser: an officer plans a two-way student exchange with
the people it sends, the partner's officer (the host) confirms the dates, and the exchange
is reported done in the period's check-in; the final evaluation then shows it as evidence."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluation.models import CheckIn, ExchangeReport
from evaluation.services.checkins import schedule_extend
from partnerships import services
from partnerships.models import Exchange
from partnerships.tests.conftest import endorsed, make_ready
from twinning.tests.browser import field, log_in, log_out

from .closing_helpers import confirmed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_two_way_exchange_planned_confirmed_and_reported_done_in_a_checkin(page: Page, world):
    # Activated 150 days ago: the first quarter is over and its check-in is open.
    activated = timezone.localdate() - datetime.timedelta(days=150)
    with time_machine.travel(datetime.datetime.combine(activated, datetime.time(9), tzinfo=datetime.UTC), tick=False):
        partnership = make_ready(world, endorsed(world, forms=("student-exchange",)))
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
    schedule_extend(partnership=partnership, today=timezone.localdate())
    start, end = activated + datetime.timedelta(days=20), activated + datetime.timedelta(days=33)

    # 1. Alpha's officer plans a two-way exchange and names the two students it sends.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#exchanges").get_by_role("link", name="Plan an exchange").click()
    field(page, "Title").fill("Robotics lab weeks")
    field(page, "Kind").select_option(label="Student training exchange")
    field(page, "Sending section").select_option(label="Alpha Section")
    field(page, "Host section").select_option(label="Beta Section")
    field(page, "Start date").fill(start.isoformat())
    field(page, "End date").fill(end.isoformat())
    field(page, "Two-way: the host sends people back").check()
    field(page, "Return visit starts").fill((timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    field(page, "Return visit ends").fill((timezone.localdate() + datetime.timedelta(days=74)).isoformat())
    page.get_by_role("button", name="Plan the exchange").click()
    expect(page.get_by_role("status").first).to_contain_text("The exchange is planned")
    for name in ("Zoe Student", "Yan Student"):
        field(page, "Name").fill(name)
        field(page, "Role").fill("Lab intern")
        field(page, "Student or member").select_option(label="Student")
        page.get_by_role("button", name="Add the person").click()
        expect(page.get_by_role("status").first).to_contain_text(f"{name} takes part.")
    log_out(page)

    # 2. Beta's officer, the host, confirms the dates.
    log_in(page, world.officer_b.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#exchanges").get_by_role("link", name="Robotics lab weeks", exact=True).click()
    page.get_by_role("button", name="Confirm the dates").click()
    expect(page.get_by_role("status").first).to_contain_text("The dates are confirmed.")
    log_out(page)

    # 3. Alpha's officer opens the first quarter's check-in: the exchange is listed and asked about.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    # Periods are listed newest first: the first quarter's is the last one.
    page.locator("#checkins").get_by_role("link", name=re.compile(r"^Fill in the check-in of Alpha Section")).last.click()
    listed = page.get_by_role("table", name="Exchanges your section hosts or sends in this period, and earlier ones still open")
    expect(listed.get_by_role("row", name="Robotics lab weeks")).to_contain_text("Beta Section ← Alpha Section")
    expect(listed).not_to_contain_text("Zoe Student")
    expect(listed).not_to_contain_text("(return)")  # its dates are still ahead

    page.get_by_role("radio", name="On track").check()
    question = page.get_by_label(re.compile(r"^\s*Robotics lab weeks \(.*\): did it take place\?"))
    question.select_option(label="It took place: done")
    page.get_by_role("button", name="Submit").click()
    # Done without its outcomes: the field says so and nothing is lost.
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    expect(page.get_by_text("Say what came of the exchange.")).to_be_visible()
    expect(question).to_have_value("done")
    field(page, "Outcomes of Robotics lab weeks").fill("Both students built a working robot cell.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").first).to_contain_text("The check-in was submitted.")

    out = Exchange.objects.get(title="Robotics lab weeks")
    assert (out.status, out.outcomes) == (Exchange.Status.DONE, "Both students built a working robot cell.")
    checkin = CheckIn.objects.get(period__partnership=partnership, period__number=0, section=world.a)
    assert checkin.state == CheckIn.State.SUBMITTED
    assert ExchangeReport.objects.get(checkin=checkin).exchange == out

    # 4. The final evaluation shows it as evidence, with how many took part.
    confirmed(world, partnership, sides=())
    page.goto(f"/partnerships/{partnership.pk}/evaluation/final/")
    evidence = page.locator("#evidence-exchanges")
    expect(evidence.get_by_role("row", name="Robotics lab weeks")).to_contain_text("Both students built a working robot cell.")
    expect(evidence.get_by_role("row", name="Robotics lab weeks")).to_contain_text("2")
