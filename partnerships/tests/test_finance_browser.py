"""Financial support in a real browser: the giver plans and sends an instalment, the receiver
confirms a different amount, and both see the mismatch; a spending entry with its receipt."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import Instalment, Spending
from twinning.tests.browser import field, log_in, log_out

from .conftest import PDF, endorsed, make_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_support_agreement_instalment_and_spending_journey(page: Page, world, tmp_path):
    partnership = make_ready(world, endorsed(world, forms=("financial-support", "technical-exchange")))
    today = timezone.localdate()

    # Alpha's officer sees the activation gap and the panel, and records the support.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    expect(page.get_by_text("Add the support agreement").first).to_be_visible()
    page.get_by_role("link", name="Finances: agreements, instalments, budget against actual").click()
    page.get_by_role("link", name="Add a support agreement").click()
    field(page, "Giving section").select_option(label="Alpha Section")
    field(page, "Receiving section").select_option(label="Beta Section")
    field(page, "Purpose").fill("Lab instruments")
    field(page, "Amount").fill("1000.00")
    field(page, "The giver gains through").select_option(label="Information / technical exchange")
    field(page, "What the giver gains").fill("Beta's students present at our meetings")
    page.get_by_role("button", name="Save the support agreement").click()
    expect(page.get_by_role("heading", name="Alpha Section supports Beta Section with 1000.00 USD")).to_be_visible()

    page.get_by_role("link", name="Plan an instalment").click()
    field(page, "Amount").fill("500")
    field(page, "Planned date").fill(today.isoformat())
    page.get_by_role("button", name="Add the instalment").click()
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_text("The instalment is recorded as sent.")).to_be_visible()
    log_out(page)

    # Beta's officer confirms less than was sent: the mismatch shows.
    log_in(page, world.officer_b.email)
    page.goto(f"{partnership.get_absolute_url()}finances/")
    page.get_by_label("Amount received").fill("450")
    page.get_by_role("button", name="Confirm received").click()
    expect(page.get_by_text("Received 450.00, not the 500.00 planned.").first).to_be_visible()
    assert Instalment.objects.get().received_by == world.officer_b

    # … and records what the funding line paid for, with the receipt.
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(PDF)
    page.get_by_role("link", name="Record spending from Section funds").click()
    field(page, "Date").fill(today.isoformat())
    field(page, "Amount").fill("620")
    field(page, "What for").fill("Flow meters")
    field(page, "Receipt").set_input_files(str(receipt))
    page.get_by_role("button", name="Record the spending").click()
    expect(page.get_by_text("Overspent").first).to_be_visible()
    assert Spending.objects.get().receipt
