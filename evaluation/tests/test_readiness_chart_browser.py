"""A section's readiness over time, as every reader gets it: a titled chart with labelled axes,
its text alternative and the table of its scores; in a real browser."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from evaluation.models import Assessment
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.browser import expect_accessible_chart, log_in

from .factories import assess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_readiness_chart_has_its_title_axes_text_alternative_and_table(page: Page):
    section = SectionFactory(name="Alpha Section", slug="alpha")
    officer = OfficerFactory(section=section).user
    first = assess(section, officer, 33)
    Assessment.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(days=90))
    assess(section, officer, 100)

    log_in(page, officer.email)
    page.goto("/sections/alpha/readiness/")
    chart = page.locator("#readiness-chart")
    expect_accessible_chart(
        chart, title="Overall readiness score over time", x_label="Date of the assessment", y_label="Score (0–100)",
    )
    expect(chart.get_by_role("table").locator("tbody tr")).to_have_count(2)
    expect(chart.get_by_role("table").locator("tbody tr").last).to_contain_text("100")
