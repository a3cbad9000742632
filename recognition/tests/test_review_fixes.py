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
