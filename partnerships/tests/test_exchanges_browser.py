"""The issue's journey: an officer plans a two-way student exchange with the people it
sends, the partner (the host) confirms the dates, and the exchange is reported done."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import Exchange
from twinning.tests.browser import field, log_in, log_out

from .conftest import endorsed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_two_way_student_exchange_planned_confirmed_and_done(page: Page, world):
    partnership = endorsed(world, forms=("student-exchange",))
    today = timezone.localdate()

    # 1. Alpha's officer plans a two-way exchange from the partnership page.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    expect(page.locator(".card", has_text="Before the partnership can be activated")).to_contain_text(
        "Plan at least one exchange"
    )
    page.locator("#exchanges").get_by_role("link", name="Plan an exchange").click()
    expect(page.get_by_role("heading", name="Plan an exchange")).to_be_visible()
    field(page, "Title").fill("Robotics lab weeks")
    field(page, "Kind").select_option(label="Student training exchange")
    field(page, "Sending section").select_option(label="Alpha Section")
    field(page, "Host section").select_option(label="Beta Section")
    field(page, "Start date").fill((today - datetime.timedelta(days=14)).isoformat())
    field(page, "End date").fill((today - datetime.timedelta(days=1)).isoformat())
    field(page, "Two-way: the host sends people back").check()
    field(page, "Return visit starts").fill((today + datetime.timedelta(days=60)).isoformat())
    field(page, "Return visit ends").fill((today + datetime.timedelta(days=240)).isoformat())
    page.get_by_role("button", name="Plan the exchange").click()
    expect(page.get_by_role("status").first).to_contain_text("The exchange is planned")
    expect(page.get_by_role("heading", name="Robotics lab weeks", level=1)).to_be_visible()
    expect(page.get_by_text("Short-term (2 weeks)")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the dates")).to_have_count(0)

    # 2. Alpha names the two students it sends.
    for name, email in (("Zoe Student", "zoe@example.org"), ("Yan Student", "")):
        field(page, "Name").fill(name)
        field(page, "Role").fill("Lab intern")
        field(page, "Student or member").select_option(label="Student")
        field(page, "Email (optional)").fill(email)
        page.get_by_role("button", name="Add the person").click()
        expect(page.get_by_role("status").first).to_contain_text(f"{name} takes part.")
    people = page.get_by_role("table", name="People taking part")
    expect(people).to_contain_text("zoe@example.org")
    expect(people.get_by_role("row")).to_have_count(3)
    page.get_by_role("link", name="Robotics lab weeks (return)").click()
    expect(page.get_by_text("Long-term (6 months)")).to_be_visible()
    log_out(page)

    # 3. Beta's officer, the host, writes the programme and confirms the dates.
    log_in(page, world.officer_b.email)
    page.goto(partnership.get_absolute_url())
    panel = page.locator("#exchanges")
    expect(panel.get_by_role("row", name="Robotics lab weeks (return)")).to_contain_text("Beta Section → Alpha Section")
    panel.get_by_role("link", name="Robotics lab weeks", exact=True).click()
    expect(page.get_by_text("Zoe Student")).to_be_visible()
    expect(page.get_by_role("button", name="Add the person")).to_have_count(0)
    page.get_by_role("link", name="Change the exchange").click()
    expect(field(page, "Start date")).to_have_count(0)
    field(page, "Training programme or agenda").fill("Week 1: PLC basics. Week 2: robot cell project.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The exchange was saved.")
    page.get_by_role("button", name="Confirm the dates").click()
    expect(page.get_by_role("status").first).to_contain_text("The dates are confirmed.")
    expect(page.get_by_text("confirmed by Ben Beta")).to_be_visible()

    # 4. The visit over, the host reports it done with its outcomes.
    page.get_by_role("link", name="Report it done").click()
    field(page, "Outcomes").fill("Both students built a working robot cell; Beta's members learnt Alpha's test method.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status").first).to_contain_text("The exchange is done")
    expect(page.get_by_role("heading", name="Outcomes")).to_be_visible()
    expect(page.get_by_text("Both students built a working robot cell")).to_be_visible()

    out = Exchange.objects.get(title="Robotics lab weeks")
    assert out.status == Exchange.Status.DONE
    assert out.confirmed_by == world.officer_b
    assert out.programme.startswith("Week 1")
    assert sorted(out.participants.values_list("name", flat=True)) == ["Yan Student", "Zoe Student"]
    assert out.return_leg.status == Exchange.Status.PLANNED
