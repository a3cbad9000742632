"""A forged post to another section's profile changes nothing (the whole matrix of routes
and roles is web/tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime

import pytest

from sections.models import Section
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    section_a = SectionFactory()
    section_b = SectionFactory()
    users = {
        "anonymous": None,
        "officer_a": OfficerFactory(section=section_a).user,
        "officer_b": OfficerFactory(section=section_b).user,
        "coordinator_a": CoordinatorFactory(district=section_a.district).user,
        "coordinator_other": CoordinatorFactory().user,
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "former_officer_a": OfficerFactory(
            section=section_a, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
        ).user,
    }
    return {"a": section_a.slug, "b": section_b.slug, "users": users}


@pytest.mark.parametrize("role", ["officer_b", "coordinator_a", "staff", "former_officer_a"])
def test_forged_post_to_another_sections_edit_changes_nothing(client, world, role):
    client.force_login(world["users"][role])
    response = client.post(f"/sections/{world['a']}/edit/", {"city": "Forged", "country": "NL"})
    assert response.status_code == 404
    assert Section.objects.get(slug=world["a"]).city != "Forged"
