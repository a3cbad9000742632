"""Handover after an election, in a real browser: the outgoing lead leaves a note, the office
ends, the remaining officer finds the to-do on her home, reads the note, names herself lead,
and the to-do is gone. A proposal to a section with nobody in office is refused, saying whom
to contact."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerships.models import LeadVacancy
from sections.models import Officer
from sections.services import officer_end
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.browser import field, log_in, log_out, pick_section

from .conftest import endorsed
from .test_browser import lead_option

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_remaining_officer_names_a_new_lead_from_the_todo_on_her_home(page: Page, world):
    partnership = endorsed(world)
    successor = OfficerFactory(section=world.a, role=Officer.Role.TREASURER, user__full_name="Cleo Alpha").user

    # Ann, Alpha's chair, leads for Alpha and leaves a note before the election.
    log_in(page, world.officer_a.email)
    page.goto(partnership.get_absolute_url())
    page.get_by_label("Add a lead").select_option(label=lead_option(world.officer_a, world.a))
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_text("Ann Alpha now leads for Alpha Section.")).to_be_visible()
    page.get_by_role("link", name="Write a handover note").click()
    field(page, "Handover note").fill("Ben at Beta answers on Thursdays; the talks are promised for May.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_text("The handover note of Alpha Section was saved.")).to_be_visible()
    log_out(page)

    # The society admin records the end of Ann's term after the election.
    officer_end(
        officer=Officer.objects.get(user=world.officer_a, section=world.a),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        actor=world.staff,
    )

    log_in(page, successor.email)
    page.goto("/")
    todo = page.get_by_test_id("lead-vacancy")
    expect(todo).to_contain_text("Ann Alpha left office in Alpha Section: name a new lead")
    todo.get_by_role("link", name="Name a new lead").click()
    expect(page.get_by_test_id("lead-vacancy")).to_contain_text("Ann Alpha no longer holds an office in Alpha Section")
    expect(page.get_by_text("Ben at Beta answers on Thursdays")).to_be_visible()
    page.get_by_label("Add a lead").select_option(label=lead_option(successor, world.a))
    page.get_by_role("button", name="Add lead").click()
    expect(page.get_by_text("Cleo Alpha now leads for Alpha Section.")).to_be_visible()
    expect(page.get_by_test_id("lead-vacancy")).to_have_count(0)

    page.goto("/")
    expect(page.get_by_test_id("lead-vacancy")).to_have_count(0)
    assert LeadVacancy.objects.get().resolved_by == successor


def test_a_proposal_to_a_section_without_officers_says_whom_to_contact(page: Page, world):
    SectionFactory(name="Quiet Section", slug="quiet", district=world.b.district)
    log_in(page, world.officer_a.email)
    page.goto(f"/partnerships/propose/{world.a.slug}/")
    pick_section(page, "Partner section", "Quiet", "Quiet Section")
    field(page, "Title").fill("Alpha and Quiet")
    field(page, "Purpose").fill("Grow both sections.")
    field(page, "Information / technical exchange").check()
    field(page, "Start date").fill("2027-01-01")
    field(page, "Planned end date").fill("2028-06-30")
    field(page, "What your section gives").fill("Speakers")
    field(page, "What your section expects to gain").fill("Hosts")
    field(page, "What the partner gives").fill("Hosts")
    field(page, "What the partner gains").fill("Speakers")
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_text("Quiet Section has no officer in office")).to_be_visible()
    expect(page.get_by_text(world.coordinator_b.email)).to_be_visible()
