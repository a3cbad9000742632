"""Two people acting on a formative section's maturity at the same moment, each on their own
database connection: the row locks serialise them, so one proposal waits and one decision
stands."""

from __future__ import annotations

import pytest
from django.db import connection

from partnerships import services
from partnerships.models import MaturityProposal, Partnership
from sections.models import Officer, Section
from sections.tests.factories import CoordinatorFactory, OfficerFactory
from twinning.tests.concurrency import at_the_same_moment

from .test_growth import growing

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_two_officers_proposing_at_once_make_one_proposal(world):
    partnership = growing(world, ready=False)
    other_officer_b = OfficerFactory(section=world.b, role=Officer.Role.SECRETARY).user

    def propose(actor):
        return lambda: services.maturity_propose(partnership=Partnership.objects.get(pk=partnership.pk), actor=actor)

    results = at_the_same_moment(propose(world.officer_b), propose(other_officer_b))

    assert sorted(type(result).__name__ for result in results) == ["MaturityProposal", "ValidationError"]
    assert MaturityProposal.objects.filter(state="pending").count() == 1


def test_two_coordinators_deciding_at_once_decide_once(world):
    partnership = growing(world, ready=False)
    proposal = services.maturity_propose(partnership=partnership, actor=world.officer_b)
    other_coordinator = CoordinatorFactory(district=world.b.district).user

    def decide(actor, confirm):
        return lambda: services.maturity_decide(
            proposal=MaturityProposal.objects.get(pk=proposal.pk), actor=actor, confirm=confirm
        )

    results = at_the_same_moment(decide(world.coordinator_b, True), decide(other_coordinator, False))

    assert sorted(type(result).__name__ for result in results) == ["MaturityProposal", "ValidationError"]
    proposal.refresh_from_db()
    expected = "developing" if proposal.state == "confirmed" else "formative"
    assert Section.objects.get(pk=world.b.pk).maturity == expected
