"""Growing a formative section in a real browser: the mentor plans a milestone, the formative
section records it done with evidence, the mentor says how it helped, the formative section
proposes that it is developing and its district coordinator confirms."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships import services
from partnerships.models import GrowthMilestone, MaturityProposal
from sections.models import Section
from twinning.tests.browser import field, log_in, log_out

from .conftest import PDF
from .test_growth import growing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_formative_section_grows_to_developing(page: Page, world, tmp_path):
    partnership = growing(world)
    address = f"/partnerships/{partnership.pk}/"

    # Alpha (mentor) plans the first milestone; the partnership then starts.
    log_in(page, world.officer_a.email)
    page.goto(address)
    growth = page.locator("#growth")
    expect(growth).to_contain_text("The formative section is Beta Section")
    growth.get_by_role("link", name="Add a milestone").click()
    field(page, "Milestone").select_option(label="Officers elected")
    field(page, "Target date").fill("2026-09-30")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.locator("#growth")).to_contain_text("Officers elected")
    log_out(page)
    services.partnership_activate(partnership=partnership, actor=world.officer_a)

    # Beta (formative) records it done, with the minutes as evidence.
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(PDF)
    log_in(page, world.officer_b.email)
    page.goto(address)
    expect(page.locator("#growth").get_by_role("link", name="Record our help")).to_have_count(0)
    page.locator("#growth").get_by_role("link", name="Record progress").click()
    field(page, "Done on").fill(timezone.localdate().isoformat())
    field(page, "Evidence").fill("Chair, secretary and treasurer elected at the general meeting.")
    field(page, "Evidence document").set_input_files(str(evidence))
    page.get_by_role("button", name="Save the progress").click()
    growth = page.locator("#growth")
    expect(growth).to_contain_text("Milestones: 1 of 1 done")
    expect(growth.get_by_role("link", name="Evidence document")).to_be_visible()
    log_out(page)

    # Alpha says how it helped.
    log_in(page, world.officer_a.email)
    page.goto(address)
    expect(page.locator("#growth").get_by_role("link", name="Record progress")).to_have_count(0)
    page.locator("#growth").get_by_role("link", name="Record our help").click()
    field(page, "Help from the mentoring section").fill("Our chair ran the election with them.")
    page.get_by_role("button", name="Save the help").click()
    expect(page.locator("#growth")).to_contain_text("Our chair ran the election with them.")
    log_out(page)

    # Beta proposes that it is developing now.
    log_in(page, world.officer_b.email)
    page.goto(address)
    field(page, "Why the section is developing now").fill("Officers elected and 45 members.")
    page.get_by_role("button", name="Propose: the section is developing").click()
    expect(page.get_by_test_id("maturity-proposal")).to_contain_text("waiting for the district coordinator")
    log_out(page)

    # Beta's district coordinator confirms from Beta's page.
    log_in(page, world.coordinator_b.email)
    page.goto(f"/sections/{world.b.slug}/")
    expect(page.locator("#maturity")).to_contain_text("Officers elected and 45 members.")
    page.locator("#maturity").get_by_role("button", name="Confirm: developing").click()
    expect(page.get_by_text("Beta Section is now developing.")).to_be_visible()
    page.goto(address)
    expect(page.get_by_test_id("growth-summary")).to_contain_text(
        "From 30 members (formative) at activation to 30 members (developing) now."
    )

    milestone = GrowthMilestone.objects.get(partnership=partnership)
    assert (milestone.done_on, milestone.help) == (timezone.localdate(), "Our chair ran the election with them.")
    assert MaturityProposal.objects.get().state == "confirmed"
    assert Section.objects.get(pk=world.b.pk).maturity == "developing"
