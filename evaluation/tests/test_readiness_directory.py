"""The directory shows each section's latest readiness verdict and filters on it."""

from __future__ import annotations

import pytest

from evaluation.tests.factories import assess
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    ready = SectionFactory(name="Ready One")
    nearly = SectionFactory(name="Nearly One")
    not_yet = SectionFactory(name="Not Yet One")
    SectionFactory(name="Unassessed")
    assess(ready, OfficerFactory(section=ready).user, 100)
    assess(nearly, OfficerFactory(section=nearly).user, 67)
    # A section that was ready once but is not any more is listed by its latest verdict.
    officer = OfficerFactory(section=not_yet).user
    assess(not_yet, officer, 100)
    assess(not_yet, officer, 0)
    return {"ready": ready, "not-yet": not_yet}


def _names(response) -> list[str]:
    return [section.name for section in response.context["sections"]]


@pytest.mark.parametrize(
    ("verdict", "names"),
    [("ready", ["Ready One"]), ("nearly", ["Nearly One"]), ("not-yet", ["Not Yet One"])],
)
def test_the_readiness_filter_narrows_the_list(client, sections, verdict, names):
    client.force_login(UserFactory())

    response = client.get(f"/sections/?readiness={verdict}")

    assert _names(response) == names


def test_the_list_shows_each_sections_latest_verdict(client, sections):
    client.force_login(UserFactory())

    response = client.get("/sections/")

    assert _names(response) == ["Nearly One", "Not Yet One", "Ready One", "Unassessed"]
    rows = {
        name: row
        for row in response.content.decode().split("<tr>")[2:]
        for name in _names(response)
        if f">{name}</a>" in row
    }
    assert "Readiness: Ready" in rows["Ready One"]
    assert "Readiness: Nearly ready" in rows["Nearly One"]
    assert "Readiness: Not yet" in rows["Not Yet One"]
    assert "Readiness:" not in rows["Unassessed"]


def test_the_profile_shows_the_latest_verdict(client, sections):
    client.force_login(UserFactory())

    page = client.get(sections["not-yet"].get_absolute_url()).content.decode()

    assert "Readiness: Not yet" in page
    assert "Readiness: Ready" not in page


def test_an_unknown_readiness_value_is_left_out_with_a_message(client, sections):
    client.force_login(UserFactory())

    response = client.get("/sections/?readiness=perfect")

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()
