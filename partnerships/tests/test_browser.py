"""A partnership's journey from proposal to activation, suspension and resumption,
driven through the pages in a real browser by the people who would do each step."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import Partnership, Status, Transition
from sections.models import Officer

from twinning.tests.browser import field, log_in, log_out, pick_section

from .conftest import endorsed, make_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Alpha and Beta grow together"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def expect_status(page: Page, label: str) -> None:
    """The status badge beside the partnership's title."""
    expect(page.locator("main h1 + p .badge").first).to_have_text(label)


def open_from_list(page: Page) -> None:
    page.goto("/partnerships/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def lead_option(user, section) -> str:
    office = Officer.objects.get(user=user, section=section)
    return f"{user.full_name} — {office.get_role_display()}, {section.name}"


def test_proposal_to_activation_suspension_and_resumption(page: Page, world, tmp_path):
    today = timezone.localdate()
    signed_on = (today - datetime.timedelta(days=3)).isoformat()

    # 1. Alpha's officer proposes a partnership to Beta from Alpha's page.
    log_in(page, world.officer_a.email)
    page.goto(f"/sections/{world.a.slug}/")
    page.get_by_role("link", name="Propose a partnership").click()
    expect(page.get_by_role("heading", name="Propose a partnership for Alpha Section")).to_be_visible()
    pick_section(page, "Partner section", "bet", "Beta Section")
    field(page, "Title").fill(TITLE)
    field(page, "Purpose").fill("Share know-how and grow both sections.")
    field(page, "Information / technical exchange").check()
    field(page, "Start date").fill("2027-01-01")
    field(page, "Planned end date").fill("2028-06-30")
    field(page, "What your section gives").fill("Speakers for technical talks")
    field(page, "What your section expects to gain").fill("Exchange students")
    field(page, "What the partner gives").fill("Student hosts")
    field(page, "What the partner gains").fill("Technical talks")
    page.get_by_role("button", name="Send the proposal").click()

    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("The proposal was sent.")
    expect_status(page, "Proposed")
    partnership = Partnership.objects.get(title=TITLE)
    assert partnership.status == Status.PROPOSED
    log_out(page)

    # 2. Beta's officer finds it in the list by a word of its purpose, typed in capitals, and accepts.
    log_in(page, world.officer_b.email)
    page.goto("/partnerships/")
    search = page.get_by_role("search", name="Filter partnerships")
    search.get_by_label("Search").fill("KNOW-HOW")
    search.get_by_role("button", name="Show partnerships").click()
    expect(page).to_have_url(re.compile(r"[?&]q=KNOW-HOW(&|$)"))
    expect(page.get_by_text("Showing 1–1 of 1")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    page.get_by_role("link", name="Accept or decline").click()
    expect(page.get_by_role("heading", name=f"Answer the proposal “{TITLE}”")).to_be_visible()
    expect(field(page, "What your section gives")).to_have_value("Student hosts")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("You accepted the proposal.")
    expect_status(page, "Accepted")
    expect(page.get_by_role("link", name="Accept or decline")).to_have_count(0)
    log_out(page)

    # 3. Each district's coordinator endorses it.
    for coordinator, status in ((world.coordinator_a, "Accepted"), (world.coordinator_b, "Endorsed")):
        log_in(page, coordinator.email)
        open_from_list(page)
        page.get_by_role("link", name="Endorse", exact=True).click()
        expect(page.get_by_role("heading", name="Endorse the partnership")).to_be_visible()
        page.get_by_role("button", name="Endorse", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("Your endorsement was recorded.")
        expect_status(page, status)
        expect(page.get_by_role("link", name="Endorse", exact=True)).to_have_count(0)
        log_out(page)

    # 4. Alpha's officer sees what is missing, fills it in and activates.
    log_in(page, world.officer_a.email)
    open_from_list(page)
    expect_status(page, "Endorsed")
    missing = page.locator(".card", has_text="Before the partnership can be activated")
    expect(missing).to_contain_text("Name a lead for Alpha Section.")
    expect(missing).to_contain_text("Name a lead for Beta Section.")
    expect(missing).to_contain_text("Add at least one goal to the work plan.")
    expect(missing).to_contain_text("Add at least one activity to the work plan")
    expect(missing).to_contain_text("Record the agreement")
    expect(missing).to_contain_text("Plan at least one exchange")

    # Alpha names its own lead; Beta's officers are not offered: Beta names its own.
    expect(field(page, "Add a lead").locator("option", has_text="Beta Section")).to_have_count(0)
    field(page, "Add a lead").select_option(label=lead_option(world.officer_a, world.a))
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_role("status").first).to_contain_text("Ann Alpha now leads for Alpha Section.")
    expect(page.locator("#leads").get_by_text("Ann Alpha — Alpha Section")).to_be_visible()

    page.get_by_role("link", name="Add a goal").click()
    expect(page.get_by_role("heading", name="Add: goal")).to_be_visible()
    field(page, "Title").fill("Grow student membership")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan was saved.")

    page.get_by_role("link", name="Add an objective").click()
    field(page, "Goal").select_option(label="Grow student membership")
    field(page, "Title").fill("Run a summer exchange")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan was saved.")

    page.get_by_role("link", name="Add an activity").click()
    field(page, "Objective").select_option(label="Run a summer exchange")
    field(page, "Title").fill("Summer exchange 2027")
    field(page, "Form of twinning").select_option(label="Information / technical exchange")
    field(page, "Carried out by").select_option(label="Alpha Section")
    field(page, "Start date").fill("2027-06-01")
    field(page, "End date").fill("2027-08-31")
    field(page, "Budget").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan was saved.")

    page.get_by_role("link", name="Add an indicator").click()
    field(page, "Objective").select_option(label="Run a summer exchange")
    field(page, "Name").fill("Students exchanged")
    field(page, "Unit").fill("students")
    field(page, "Baseline").fill("0")
    field(page, "Target").fill("6")
    field(page, "Target date").fill("2027-09-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan was saved.")

    page.get_by_role("link", name="Add funding").click()
    field(page, "Source").fill("Section funds")
    field(page, "Amount").fill("500")
    field(page, "Status").select_option(label="Confirmed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan was saved.")

    page.locator("#exchanges").get_by_role("link", name="Plan an exchange").click()
    field(page, "Title").fill("Study visit to Beta")
    field(page, "Kind").select_option(label="Information / technical exchange")
    field(page, "Sending section").select_option(label="Alpha Section")
    field(page, "Host section").select_option(label="Beta Section")
    field(page, "Start date").fill("2027-06-01")
    field(page, "End date").fill("2027-06-07")
    page.get_by_role("button", name="Plan the exchange").click()
    expect(page.get_by_role("status").first).to_contain_text("The exchange is planned")
    page.get_by_role("link", name="Back to the partnership").click()

    plan = page.locator("#plan")
    expect(plan.get_by_role("heading", name="Goal: Grow student membership")).to_be_visible()
    expect(plan.get_by_role("heading", name="Objective: Run a summer exchange")).to_be_visible()
    expect(plan.get_by_role("link", name="Summer exchange 2027")).to_be_visible()
    expect(plan.get_by_text("Indicator: Students exchanged")).to_be_visible()
    expect(plan.get_by_role("row", name=re.compile(r"Section funds.*500\.00 USD.*Confirmed"))).to_be_visible()

    document = tmp_path / "signed-agreement.pdf"
    document.write_bytes(PDF)
    page.get_by_role("link", name="Record the agreement").click()
    field(page, "Written (signed document)").check()
    field(page, "Agreed or signed on").fill(signed_on)
    field(page, "Signed document").set_input_files(document)
    field(page, "Agreed or signed for Alpha Section by").fill("Ann Alpha, chair")
    expect(page.get_by_label("Agreed or signed for Beta Section by")).to_have_count(0)
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_role("status").first).to_contain_text("it applies once they confirm it")
    agreement = page.locator("#agreement")
    expect(agreement).to_contain_text("Change proposed by Alpha Section, waiting for the other side")
    expect(agreement).to_contain_text("No agreement recorded yet.")
    expect(agreement.get_by_role("button", name="Confirm the change")).to_have_count(0)
    log_out(page)

    # 5. Beta's officer names Beta's lead and signatory, reads the proposed document and
    # confirms the change: only now does the agreement say it.
    log_in(page, world.officer_b.email)
    open_from_list(page)
    field(page, "Add a lead").select_option(label=lead_option(world.officer_b, world.b))
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_role("status").first).to_contain_text("Ben Beta now leads for Beta Section.")
    agreement = page.locator("#agreement")
    proposed = agreement.get_by_role("link", name="Download the proposed signed document")
    served = page.request.get(proposed.get_attribute("href"))
    assert served.ok and served.body() == PDF
    agreement.get_by_role("button", name="Confirm the change").click()
    expect(page.get_by_role("status").first).to_contain_text("You confirmed the change")
    expect(agreement).to_contain_text("Written (signed document)")
    page.get_by_role("link", name="Record the agreement").click()
    field(page, "Agreed or signed for Beta Section by").fill("Ben Beta, chair")
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_role("status").first).to_contain_text("The agreement was saved.")
    expect(agreement).to_contain_text("For Alpha Section: Ann Alpha, chair")
    expect(agreement).to_contain_text("For Beta Section: Ben Beta, chair")
    signed = agreement.get_by_role("link", name="Download the signed agreement")
    served = page.request.get(signed.get_attribute("href"))
    assert served.ok and served.body() == PDF
    assert served.headers["content-disposition"].startswith("attachment")
    leads = page.locator("#leads")
    expect(leads.get_by_text("Ann Alpha — Alpha Section")).to_be_visible()
    expect(leads.get_by_text("Ben Beta — Beta Section")).to_be_visible()
    expect(page.get_by_text("Before the partnership can be activated")).to_have_count(0)
    log_out(page)
    log_in(page, world.officer_a.email)
    open_from_list(page)

    page.get_by_role("link", name="Activate", exact=True).click()
    expect(page.get_by_role("heading", name="Activate the partnership")).to_be_visible()
    expect(page.get_by_text("Everything needed is in place")).to_be_visible()
    page.get_by_role("button", name="Activate", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The partnership is active.")
    expect_status(page, "Active")

    # 6. Later it is suspended with a reason, then resumed.
    page.get_by_role("link", name="Suspend", exact=True).click()
    field(page, "Reason").fill("Elections in both sections")
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The partnership is suspended.")
    expect_status(page, "Suspended")

    page.get_by_role("link", name="Resume", exact=True).click()
    page.get_by_role("button", name="Resume", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The partnership is active again.")
    expect_status(page, "Active")

    history = page.locator("#history")
    for row in (
        "Created as Draft",
        "Status: Draft → Proposed",
        "Status: Proposed → Accepted",
        "Status: Accepted → Endorsed",
        "Status: Endorsed → Active",
        "Status: Active → Suspended — “Elections in both sections”",
        "Status: Suspended → Active",
        "Added Goal: Grow student membership",
        "Added Activity: Summer exchange 2027",
        "Added Funding line: Section funds",
        "Added Lead for Beta Section: Ben Beta",
        "Alpha Section proposed a change to the agreement with a new signed document",
        "The agreement change of Alpha Section: confirmed",
    ):
        expect(history.get_by_role("row").filter(has_text=row)).to_have_count(1)

    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE
    assert partnership.agreement_kind == Partnership.AgreementKind.WRITTEN
    assert partnership.agreement_document.read() == PDF
    assert set(partnership.leads.values_list("user_id", flat=True)) == {world.officer_a.pk, world.officer_b.pk}
    assert partnership.endorsements.count() == 2
    assert list(
        Transition.objects.filter(partnership=partnership).values_list("from_status", "to_status")
    ) == [
        ("", "draft"),
        ("draft", "proposed"),
        ("proposed", "accepted"),
        ("accepted", "endorsed"),
        ("endorsed", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
    ]


def test_agreement_upload_that_is_not_a_pdf_is_refused(page: Page, world, tmp_path):
    partnership = endorsed(world)
    fake = tmp_path / "agreement.pdf"
    fake.write_bytes(b"hello")

    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="Record the agreement").click()
    field(page, "Written (signed document)").check()
    field(page, "Signed document").set_input_files(fake)
    page.get_by_role("button", name="Save the agreement").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(page.get_by_text("The file's content is not a PDF, although its name says so.")).to_be_visible()
    expect(page.get_by_role("heading", name="Record the agreement")).to_be_visible()

    partnership.refresh_from_db()
    assert not partnership.agreement_document
    assert partnership.agreement_kind == ""
    assert partnership.status == Status.ENDORSED


def test_a_signed_agreement_lost_by_the_store_is_uploaded_again_before_activation(
    page: Page, world, tmp_path, s3_bucket
):
    partnership = make_ready(world, endorsed(world))
    s3_bucket.delete(partnership.agreement_document.name)
    document = tmp_path / "signed-again.pdf"
    document.write_bytes(PDF)

    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    expect(page.get_by_text("The signed agreement's document is missing from the site's storage")).to_be_visible()
    page.locator("#agreement").get_by_role("link", name="Download the signed agreement").click()
    expect(page.get_by_role("heading", name="The document is missing")).to_be_visible()
    expect(page.get_by_text("Upload it again")).to_be_visible()

    page.get_by_role("link", name="Back to where it is uploaded").click()
    page.get_by_role("link", name="Record the agreement").click()
    field(page, "Signed document").set_input_files(document)
    page.get_by_role("button", name="Save the agreement").click()
    expect(page.get_by_role("status").first).to_contain_text("it applies once they confirm it")
    log_out(page)

    # The new document is a change to the shared agreement: Beta's officer confirms it.
    log_in(page, world.officer_b.email)
    page.goto(partnership.get_absolute_url())
    page.locator("#agreement").get_by_role("button", name="Confirm the change").click()
    expect(page.get_by_role("status").first).to_contain_text("You confirmed the change")
    expect(page.get_by_text("document is missing")).to_have_count(0)

    served = page.request.get(page.locator("#agreement").get_by_role("link", name="Download the signed agreement").get_attribute("href"))
    assert served.ok and served.body() == PDF
    assert served.headers["content-disposition"].startswith("attachment")
    assert s3_bucket.keys() == [Partnership.objects.get(pk=partnership.pk).agreement_document.name]
