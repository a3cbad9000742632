"""Two people answering or endorsing at the same moment, each on their own database
connection: the row lock serialises them, so the state ends consistent and each
transition is recorded once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partnerships import services
from partnerships.models import Endorsement, Participant, Partnership, Status, Transition
from partnerships.services import TransitionRefused
from sections.models import Officer
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.tests.concurrency import at_the_same_moment

from .conftest import endorsed, make_ready, propose

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and serialises writers itself",
    ),
]


def accept(pk: int, section, actor) -> Callable[[], Partnership]:
    # Each thread loads its own copy: model instances are not shared between connections.
    return lambda: services.partnership_accept(partnership=Partnership.objects.get(pk=pk), section=section, actor=actor)


def endorse(pk: int, actor) -> Callable[[], Partnership]:
    return lambda: services.partnership_endorse(partnership=Partnership.objects.get(pk=pk), actor=actor)


def transitions_to(partnership: Partnership, status: str) -> int:
    return Transition.objects.filter(partnership=partnership, to_status=status).count()


def test_two_officers_of_the_invited_section_accepting_at_once_accept_it_once(world):
    other_officer_b = OfficerFactory(section=world.b, role=Officer.Role.SECRETARY).user
    partnership = propose(world)

    results = at_the_same_moment(
        accept(partnership.pk, world.b, world.officer_b),
        accept(partnership.pk, world.b, other_officer_b),
    )

    assert sorted(type(result).__name__ for result in results) == ["Partnership", "TransitionRefused"]
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
    assert transitions_to(partnership, Status.ACCEPTED) == 1
    [winner] = [result for result in results if isinstance(result, Partnership)]
    answer = Participant.objects.get(partnership=partnership, section=world.b)
    assert answer.responded_by_id == Transition.objects.get(to_status=Status.ACCEPTED).actor_id
    assert winner.status == Status.ACCEPTED


def test_two_invited_sections_accepting_at_once_accept_the_partnership_once(world):
    gamma = SectionFactory(name="Gamma Section", slug="gamma", district=DistrictFactory(code="dc"))
    officer_c = OfficerFactory(section=gamma).user
    partnership = propose(world, partner_sections=[world.b, gamma])

    results = at_the_same_moment(
        accept(partnership.pk, world.b, world.officer_b),
        accept(partnership.pk, gamma, officer_c),
    )

    assert all(isinstance(result, Partnership) for result in results), results
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
    assert transitions_to(partnership, Status.ACCEPTED) == 1
    assert set(Participant.objects.filter(partnership=partnership).values_list("response", flat=True)) == {
        Participant.Response.ACCEPTED
    }


@pytest.mark.parametrize("one_district", [False, True], ids=["two-districts", "one-district"])
def test_two_coordinators_of_one_district_endorsing_at_once_leave_one_endorsement(world, one_district):
    second_coordinator_a = CoordinatorFactory(district=world.a.district).user
    if one_district:
        partner = SectionFactory(name="Alpha North", slug="alpha-north", district=world.a.district)
        partner_officer = OfficerFactory(section=partner).user
    else:
        partner, partner_officer = world.b, world.officer_b
    partnership = propose(world, partner_sections=[partner], gives={}, gains={})
    services.partnership_accept(partnership=partnership, section=partner, actor=partner_officer)

    results = at_the_same_moment(
        endorse(partnership.pk, world.coordinator_a),
        endorse(partnership.pk, second_coordinator_a),
    )

    # The later one finds their district's endorsement given: told so, not refused by role
    # (issue 12: a repeated endorsement gets a message, not a bare 403).
    [loser] = [result for result in results if not isinstance(result, Partnership)]
    assert isinstance(loser, TransitionRefused) and "already recorded" in str(loser), loser
    assert Endorsement.objects.filter(partnership=partnership, district=world.a.district).count() == 1
    expected = Status.ENDORSED if one_district else Status.ACCEPTED
    assert Partnership.objects.get(pk=partnership.pk).status == expected
    assert transitions_to(partnership, Status.ENDORSED) == (1 if one_district else 0)


def test_coordinators_of_both_districts_endorsing_at_once_endorse_it_once(world):
    partnership = propose(world)
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    results = at_the_same_moment(
        endorse(partnership.pk, world.coordinator_a),
        endorse(partnership.pk, world.coordinator_b),
    )

    assert all(isinstance(result, Partnership) for result in results), results
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert transitions_to(partnership, Status.ENDORSED) == 1
    assert set(Endorsement.objects.filter(partnership=partnership).values_list("district_id", flat=True)) == {
        world.a.district_id,
        world.b.district_id,
    }


def test_crossing_proposals_between_the_same_sections_make_one_partnership(world):
    results = at_the_same_moment(
        lambda: propose(world, title="A to B"),
        lambda: propose(
            world, actor=world.officer_b, proposing_section=world.b, partner_sections=[world.a], title="B to A",
            gives={world.a.pk: "x", world.b.pk: "y"}, gains={world.a.pk: "x", world.b.pk: "y"},
        ),
    )

    assert sorted(type(result).__name__ for result in results) == ["Partnership", "ValidationError"]
    assert Partnership.objects.count() == 1


def test_removing_the_last_lead_while_activating_never_leaves_an_active_partnership_without_a_lead(world):
    partnership = make_ready(world, endorsed(world))
    lead_b = partnership.leads.get(section=world.b)

    results = at_the_same_moment(
        lambda: services.partnership_activate(partnership=Partnership.objects.get(pk=partnership.pk), actor=world.officer_a),
        lambda: services.lead_remove(
            partnership=Partnership.objects.get(pk=partnership.pk), actor=world.officer_b, lead=lead_b
        ),
    )

    # Whichever locks the partnership first wins; the other sees its effect and is refused.
    activated, removed = results
    assert [isinstance(result, Exception) for result in results].count(True) == 1, results
    partnership.refresh_from_db()
    if isinstance(activated, Exception):
        assert isinstance(activated, TransitionRefused) and "Name a lead for Beta Section" in str(activated)
        assert partnership.status == Status.ENDORSED
        assert not partnership.leads.filter(section=world.b).exists()
    else:
        assert isinstance(removed, ValidationError) and "needs a lead while the partnership runs" in str(removed)
        assert partnership.status == Status.ACTIVE
        assert partnership.leads.filter(section=world.b).exists()
