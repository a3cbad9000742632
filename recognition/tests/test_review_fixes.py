"""Defects found in review of issue 10, each pinned by the test that first failed."""

from __future__ import annotations

import pytest

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["²²²²", "0000", "٠٠٠٠"])
def test_a_section_page_with_an_odd_year_falls_back_without_a_crash(client, world, year):
    # "²²²²".isdigit() is true but int() refuses it; year 0 has no dates: both were a 500.
    client.force_login(world.outsider)

    response = client.get(f"/recognition/sections/{world.a.slug}/", {"year": year})

    assert response.status_code == 200


@pytest.mark.parametrize("award_year", ["30000", "1"])
def test_an_adjustment_outside_the_award_years_is_a_field_error(client, world, award_year):
    # It was saved: award_years() then spans every year between it and today, so every
    # leaderboard and district page listed tens of thousands of years in its picker, while
    # year_from() refuses that year, so the points could never be shown.
    from django.urls import reverse

    from recognition.models import LedgerEntry

    client.force_login(world.staff)

    response = client.post(reverse("admin:recognition_ledgerentry_add"),
                           {"section": world.a.pk, "points": "5", "award_year": award_year, "reason": "Typo"})

    assert response.status_code == 200
    assert "award_year" in response.context["adminform"].form.errors
    assert not LedgerEntry.objects.exists()
