"""Every URL × every role → the status that role gets. Later issues add their URLs here."""

from __future__ import annotations

import datetime

import pytest

from sections.models import Section
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer_a", "officer_b", "coordinator_a", "coordinator_other", "staff", "former_officer_a"]

LOGIN = "login"  # a redirect to the login page

# (url, expected status by role); {a} and {b} are the two sections' slugs.
MATRIX = [
    ("/", dict.fromkeys(ROLES, 200)),
    ("/healthz", dict.fromkeys(ROLES, 200)),
    ("/accounts/login/", dict.fromkeys(ROLES, 200)),
    ("/accounts/password_change/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/sections/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/sections/{a}/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/sections/{b}/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/sections/no-such-section/", {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}),
    ("/sections/{a}/edit/", {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "officer_a": 200}),
    ("/sections/{b}/edit/", {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "officer_b": 200}),
    (
        "/sections/{a}/readiness/",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "staff": 200, "officer_a": 200, "coordinator_a": 200},
    ),
    (
        "/sections/{b}/readiness/",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "staff": 200, "officer_b": 200},
    ),
    (
        "/sections/{a}/partners/",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "staff": 200, "officer_a": 200, "coordinator_a": 200},
    ),
    (
        "/sections/{b}/partners/",
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "staff": 200, "officer_b": 200},
    ),
    ("/admin/", {**dict.fromkeys(ROLES, LOGIN), "staff": 200}),
    ("/admin/sections/section/", {**dict.fromkeys(ROLES, LOGIN), "staff": 200}),
    ("/admin/sections/section/import/", {**dict.fromkeys(ROLES, LOGIN), "staff": 200}),
]


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


def _status(client, user, url: str):
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, world, role, url, expected):
    url = url.format(a=world["a"], b=world["b"])
    assert _status(client, world["users"][role], url) == expected[role]


@pytest.mark.parametrize("role", ["officer_b", "coordinator_a", "staff", "former_officer_a"])
def test_forged_post_to_another_sections_edit_changes_nothing(client, world, role):
    client.force_login(world["users"][role])
    response = client.post(f"/sections/{world['a']}/edit/", {"city": "Forged", "country": "NL"})
    assert response.status_code == 404
    assert Section.objects.get(slug=world["a"]).city != "Forged"
