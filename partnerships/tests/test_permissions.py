"""Every partnership URL × every role → the status that role gets.

A partnership A (proposer) ↔ B, endorsed and ready to activate; roles around it.
"""

from __future__ import annotations

import datetime

import pytest

from evaluation.models import CheckIn, ReportingPeriod
from partnerships.tests.conftest import endorsed, make_ready
from sections.tests.factories import CoordinatorFactory, OfficerFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer_a", "officer_b", "coordinator_a", "coordinator_other", "outsider_officer", "staff"]
LOGIN = "login"
ALL_SEE = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN, "outsider_officer": 404, "coordinator_other": 404}
OFFICERS_CHANGE = {**ALL_SEE, "coordinator_a": 403, "staff": 403}

MATRIX = [
    ("/partnerships/", {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("/partnerships/{p}/", ALL_SEE),
    ("/partnerships/999999/", {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}),
    ("/partnerships/propose/alpha/", {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "officer_a": 200}),
    ("/partnerships/{p}/answer/", {**ALL_SEE, **dict.fromkeys(["officer_a", "officer_b", "coordinator_a", "staff"], 404)}),
    ("/partnerships/{p}/do/activate/", OFFICERS_CHANGE),
    ("/partnerships/{p}/do/suspend/", OFFICERS_CHANGE),
    ("/partnerships/{p}/do/end/", OFFICERS_CHANGE),
    ("/partnerships/{p}/do/withdraw/", {**OFFICERS_CHANGE, "officer_b": 403}),
    ("/partnerships/{p}/do/endorse/", {**OFFICERS_CHANGE, "officer_a": 403, "officer_b": 403}),
    ("/partnerships/{p}/do/no-such-action/", {**ALL_SEE, **dict.fromkeys(["officer_a", "officer_b", "coordinator_a", "staff"], 404)}),
    ("/partnerships/{p}/agreement/", OFFICERS_CHANGE),
    ("/partnerships/{p}/agreement/document/", ALL_SEE),
    ("/partnerships/{p}/give-take/{a}/", {**OFFICERS_CHANGE, "officer_b": 403}),
    ("/partnerships/{p}/plan/goal/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/plan/activity/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/plan/indicator/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/plan/funding/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/plan/goal/{goal}/", OFFICERS_CHANGE),
    ("/partnerships/{p}/plan/nonsense/add/", {**ALL_SEE, **dict.fromkeys(["officer_a", "officer_b", "coordinator_a", "staff"], 404)}),
    ("/partnerships/{p}/communications/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/conflicts/add/", OFFICERS_CHANGE),
    ("/partnerships/{p}/check-ins/{checkin}/", ALL_SEE),
    ("/partnerships/{p}/check-ins/999999/", {**ALL_SEE, **dict.fromkeys(["officer_a", "officer_b", "coordinator_a", "staff"], 404)}),
    ("/partnerships/{p}/cadence/", {**dict.fromkeys(ROLES, 405), "anonymous": LOGIN}),
    ("/admin/partnerships/partnership/", {**dict.fromkeys(ROLES, LOGIN), "staff": 200}),
    ("/admin/partnerships/partnership/{p}/change/", {**dict.fromkeys(ROLES, LOGIN), "staff": 200}),
]

# POST-only actions: (url, expected by role). A POST that is refused changes nothing.
POSTS = [
    ("/partnerships/{p}/leads/{lead}/remove/", {**OFFICERS_CHANGE, "officer_a": 302, "officer_b": 302}),
    ("/partnerships/{p}/plan/goal/{goal}/delete/", {**OFFICERS_CHANGE, "officer_a": 302, "officer_b": 302}),
    # Alpha's check-in: only Alpha's officers report for it (the partnership here is endorsed, not
    # running, so Alpha's officer gets the form back with the refusal rather than a saved draft).
    ("/partnerships/{p}/check-ins/{checkin}/", {**OFFICERS_CHANGE, "officer_a": 200, "officer_b": 403}),
    ("/partnerships/{p}/cadence/", {**OFFICERS_CHANGE, "officer_a": 302, "officer_b": 302}),
]


@pytest.fixture
def setting(world):
    partnership = make_ready(world, endorsed(world))
    # A past reporting period, so that the check-in URLs have a check-in to show.
    period = ReportingPeriod.objects.create(
        partnership=partnership, number=0, starts_on=datetime.date(2025, 10, 1),
        ends_on=datetime.date(2025, 12, 31), due_on=datetime.date(2026, 1, 30),
    )
    for section in (world.a, world.b):
        CheckIn.objects.create(period=period, section=section, due_on=period.due_on)
    users = {
        "anonymous": None,
        "officer_a": world.officer_a,
        "officer_b": world.officer_b,
        "coordinator_a": world.coordinator_a,
        "coordinator_other": CoordinatorFactory().user,
        "outsider_officer": OfficerFactory().user,
        "staff": world.staff,
    }
    return partnership, users, world


def _url(template: str, partnership, world) -> str:
    return template.format(
        p=partnership.pk,
        a=world.a.pk,
        goal=partnership.goals.first().pk,
        lead=partnership.leads.first().pk,
        checkin=CheckIn.objects.get(period__partnership=partnership, section=world.a).pk,
    )


def _status(response):
    if response.status_code == 302 and "login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_get_matrix(client, setting, role, url, expected):
    partnership, users, world = setting
    if users[role] is not None:
        client.force_login(users[role])
    assert _status(client.get(_url(url, partnership, world))) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "expected"), POSTS, ids=[row[0] for row in POSTS])
def test_post_matrix(client, setting, role, url, expected):
    partnership, users, world = setting
    if users[role] is not None:
        client.force_login(users[role])
    goals, leads = partnership.goals.count(), partnership.leads.count()
    status = _status(client.post(_url(url, partnership, world)))
    assert status == expected[role]
    if status != 302:
        assert (partnership.goals.count(), partnership.leads.count()) == (goals, leads)
