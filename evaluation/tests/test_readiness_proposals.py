"""A section whose latest readiness verdict is "not yet" is warned when it proposes, not stopped."""

from __future__ import annotations

import pytest


from evaluation.tests.factories import assess
from partnerships.models import Partnership, Status
from partnerships.tests.test_views import _proposal_data


WARNING = "The latest readiness self-assessment of Alpha Section says “not yet”."


def test_a_not_yet_section_sees_the_warning_with_a_link_to_its_readiness(client, world):
    assess(world.a, world.officer_a, 0)
    client.force_login(world.officer_a)

    page = client.get("/partnerships/propose/alpha/").content.decode()

    assert WARNING in page
    assert 'href="/sections/alpha/readiness/"' in page


@pytest.mark.parametrize("value", [67, 100], ids=["nearly", "ready"])
def test_a_nearly_or_ready_section_is_not_warned(client, world, value):
    assess(world.a, world.officer_a, value)
    client.force_login(world.officer_a)

    assert "says “not yet”" not in client.get("/partnerships/propose/alpha/").content.decode()


def test_an_unassessed_section_is_not_warned(client, world):
    client.force_login(world.officer_a)

    assert "says “not yet”" not in client.get("/partnerships/propose/alpha/").content.decode()


def test_only_the_latest_verdict_counts(client, world):
    assess(world.a, world.officer_a, 0)
    assess(world.a, world.officer_a, 100)
    client.force_login(world.officer_a)

    assert "says “not yet”" not in client.get("/partnerships/propose/alpha/").content.decode()


def test_the_partners_verdict_does_not_warn_the_proposer(client, world):
    assess(world.b, world.officer_b, 0)
    client.force_login(world.officer_a)

    assert "says “not yet”" not in client.get("/partnerships/propose/alpha/").content.decode()


def test_the_warning_does_not_forbid_proposing(client, world):
    assess(world.a, world.officer_a, 0)
    client.force_login(world.officer_a)

    response = client.post("/partnerships/propose/alpha/", _proposal_data(world))

    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert partnership.status == Status.PROPOSED
