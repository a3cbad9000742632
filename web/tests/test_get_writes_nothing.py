"""A GET never writes: opening the pages of a running partnership whose reporting schedule is
behind (its last period ended months ago) leaves the database as it was. The hourly sweep,
not a page view, makes the new periods. Every route of the permission matrix is checked the
same way on an endorsed partnership (test_permission_matrix.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import CheckIn, ReportingPeriod
from evaluation.tests.monitoring import activate

from .test_permission_matrix import _writes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer_a", "officer_b", "coordinator_a", "staff"])
def test_the_pages_of_a_partnership_behind_schedule_write_nothing(client, world, role):
    # Activated in January: quarterly, its schedule is several periods behind today.
    partnership = activate(world, datetime.date(2026, 1, 15))
    periods = ReportingPeriod.objects.count()
    checkin = CheckIn.objects.filter(period__partnership=partnership).first()
    client.force_login(getattr(world, role))
    pages = [
        "/", partnership.get_absolute_url(), f"/partnerships/{partnership.pk}/check-ins/{checkin.pk}/",
        world.a.get_absolute_url(), "/partnerships/",
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        assert _writes(queries) == [], url
    assert ReportingPeriod.objects.count() == periods
