"""The partnership's life through the lifecycle services: each allowed transition leaves
one Transition row, each refused one (wrong state or wrong role) changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnerships import services
from partnerships.models import Endorsement, Participant, Partnership, Status, Transition
from partnerships.services import TransitionRefused
from partnerships.signals import partnership_closing
from partnerships.transitions import TRANSITIONS, allowed_actions
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

from .conftest import make_ready, propose

REASON = "Agreed at the joint board meeting."

# Every (action, status) pair the state machine allows, and every pair it refuses.
ALLOWED = [(action, source) for action, spec in TRANSITIONS.items() for source in spec.sources]
REFUSED = [
    (action, status) for status in Status.values for action in sorted(set(TRANSITIONS) - allowed_actions(status))
]
OFFICER_ACTIONS = sorted(set(TRANSITIONS) - {"endorse"})


def act(action: str, partnership: Partnership, actor, *, section=None, reason: str = REASON) -> Partnership:
    """Run `action` through its service as its form would, with a reason or comment where it takes one."""
    service = getattr(services, f"partnership_{action}")
    if action in ("accept", "decline"):
        return service(partnership=partnership, section=section, actor=actor, comment=reason)
    if action == "endorse":
        return service(partnership=partnership, actor=actor, comment=reason)
    if action in ("submit", "activate"):
        return service(partnership=partnership, actor=actor)
    return service(partnership=partnership, actor=actor, reason=reason)


def rightful(world, action: str):
    """Who normally makes `action` in the two-section world, and for which section."""
    if action in ("accept", "decline"):
        return world.officer_b, world.b
    if action == "endorse":
        return world.coordinator_a, None
    return world.officer_a, None


def put_in(partnership: Partnership, status: str) -> None:
    """Set the status directly, for states the test does not need to walk to."""
    end_reason = "Set by the test" if status == Status.ENDED else ""
    Partnership.objects.filter(pk=partnership.pk).update(status=status, end_reason=end_reason)


def snapshot(partnership: Partnership) -> dict:
    """What a transition could change, read back from the database."""
    stored = Partnership.objects.get(pk=partnership.pk)
    return {
        "status": stored.status,
        "end_reason": stored.end_reason,
        "transitions": list(stored.transitions.values_list("pk", flat=True)),
        "answers": list(stored.participants.values_list("section_id", "response", "responded_by_id")),
        "endorsements": list(stored.endorsements.values_list("district_id", "endorsed_by_id")),
    }


def accepted(world, **overrides) -> Partnership:
    """A proposal from Alpha that Beta has accepted, waiting for both districts' endorsement."""
    partnership = propose(world, **overrides)
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
    return partnership


def third_section(world, *, coordinated: bool = True):
    """Gamma, in a third district, with an officer and (unless told otherwise) a coordinator."""
    district = DistrictFactory(code="dc", name="District C")
    section = SectionFactory(name="Gamma Section", slug="gamma", district=district)
    officer = OfficerFactory(section=section).user
    if coordinated:
        CoordinatorFactory(district=district)
    return section, officer


# Allowed transitions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "source"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_each_allowed_transition_records_one_row_with_actor_states_and_reason(world, action, source, without_closing_gates):
    partnership = make_ready(world, propose(world))
    put_in(partnership, source)
    actor, section = rightful(world, action)
    if action == "endorse":
        # District A endorses first; the partnership moves only when B's endorsement completes it.
        act("endorse", partnership, world.coordinator_a)
        assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
        actor = world.coordinator_b
    before = set(Transition.objects.values_list("pk", flat=True))

    act(action, partnership, actor, section=section)

    target = TRANSITIONS[action].target
    recorded = Transition.objects.exclude(pk__in=before)
    reason = "" if action in ("submit", "activate") else REASON
    assert list(recorded.values_list("partnership_id", "from_status", "to_status", "actor_id", "reason")) == [
        (partnership.pk, source, target, actor.pk, reason)
    ]
    assert Partnership.objects.get(pk=partnership.pk).status == target


def test_a_partnership_walked_from_draft_to_completion_keeps_every_step_in_order(world, without_closing_gates):
    partnership = propose(world, submit=False)
    services.partnership_submit(partnership=partnership, actor=world.officer_a)
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b, comment="Yes")
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_b)
    make_ready(world, partnership)
    services.partnership_activate(partnership=partnership, actor=world.officer_b)
    services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Elections")
    services.partnership_resume(partnership=partnership, actor=world.officer_b)
    services.partnership_complete(partnership=partnership, actor=world.officer_a, reason="All done")

    steps = list(partnership.transitions.values_list("from_status", "to_status", "actor_id", "reason"))
    assert steps == [
        ("", Status.DRAFT, world.officer_a.pk, ""),
        (Status.DRAFT, Status.PROPOSED, world.officer_a.pk, ""),
        (Status.PROPOSED, Status.ACCEPTED, world.officer_b.pk, "Yes"),
        (Status.ACCEPTED, Status.ENDORSED, world.coordinator_b.pk, ""),
        (Status.ENDORSED, Status.ACTIVE, world.officer_b.pk, ""),
        (Status.ACTIVE, Status.SUSPENDED, world.officer_a.pk, "Elections"),
        (Status.SUSPENDED, Status.ACTIVE, world.officer_b.pk, ""),
        (Status.ACTIVE, Status.COMPLETED, world.officer_a.pk, "All done"),
    ]
    assert Partnership.objects.get(pk=partnership.pk).status == Status.COMPLETED


# Refused by state ------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), REFUSED, ids=[f"{a}-from-{s}" for a, s in REFUSED])
def test_a_transition_from_a_wrong_state_is_refused_and_changes_nothing(world, action, status):
    partnership = make_ready(world, propose(world))
    put_in(partnership, status)
    before = snapshot(partnership)
    actor, section = rightful(world, action)

    with pytest.raises(TransitionRefused):
        act(action, partnership, actor, section=section)

    assert snapshot(partnership) == before


def test_a_refused_transition_says_what_state_the_partnership_is_in(world):
    partnership = propose(world)
    put_in(partnership, Status.COMPLETED)

    with pytest.raises(TransitionRefused, match="is completed, so it cannot be suspended"):
        services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Why not")


def test_a_section_cannot_answer_a_proposal_twice(world):
    c, officer_c = third_section(world)
    partnership = propose(world, partner_sections=[world.b, c])
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
    before = snapshot(partnership)

    with pytest.raises(TransitionRefused, match="Beta Section has already answered"):
        services.partnership_decline(partnership=partnership, section=world.b, actor=world.officer_b)

    assert snapshot(partnership) == before


# Refused by role -------------------------------------------------------------------------------


@pytest.mark.parametrize("intruder", ["outsider", "coordinator_a", "staff"])
@pytest.mark.parametrize("action", OFFICER_ACTIONS)
def test_officer_actions_are_denied_to_people_without_an_office_in_the_partnership(world, action, intruder):
    partnership = make_ready(world, propose(world))
    put_in(partnership, TRANSITIONS[action].sources[0])
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        act(action, partnership, getattr(world, intruder), section=world.b)

    assert snapshot(partnership) == before


@pytest.mark.parametrize(("action", "status"), [("submit", Status.DRAFT), ("withdraw", Status.PROPOSED)])
def test_only_the_proposing_sections_officers_send_or_withdraw_its_proposal(world, action, status):
    partnership = propose(world, submit=False)
    put_in(partnership, status)
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        act(action, partnership, world.officer_b)

    assert snapshot(partnership) == before


def test_an_officer_of_the_proposer_cannot_accept_for_the_invited_section(world):
    partnership = propose(world)
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_a)

    assert snapshot(partnership) == before


def test_an_officer_whose_term_has_ended_can_no_longer_act(world):
    partnership = propose(world)
    world.b.officers.update(end_date=datetime.date(2025, 12, 31))
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    assert snapshot(partnership) == before


def test_an_officer_cannot_endorse(world):
    partnership = accepted(world)
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        services.partnership_endorse(partnership=partnership, actor=world.officer_a)

    assert snapshot(partnership) == before


def test_a_coordinator_of_another_district_cannot_endorse(world):
    stranger = CoordinatorFactory(district=DistrictFactory(code="dx")).user
    partnership = accepted(world)
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        services.partnership_endorse(partnership=partnership, actor=stranger)

    assert snapshot(partnership) == before


def test_a_coordinator_cannot_endorse_twice_for_the_same_district(world):
    partnership = accepted(world)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    before = snapshot(partnership)

    # Told that it stands (a message on the page), not refused by role.
    with pytest.raises(TransitionRefused, match="already recorded"):
        services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

    assert snapshot(partnership) == before


def test_staff_cannot_endorse_for_a_district_that_has_a_coordinator(world):
    partnership = accepted(world)
    before = snapshot(partnership)

    with pytest.raises(PermissionDenied):
        services.partnership_endorse(partnership=partnership, actor=world.staff)

    assert snapshot(partnership) == before


def test_staff_without_society_admin_rights_cannot_endorse_for_a_district_without_a_coordinator(world):
    c, officer_c = third_section(world, coordinated=False)
    partnership = propose(world, partner_sections=[c], gives={}, gains={})
    services.partnership_accept(partnership=partnership, section=c, actor=officer_c)
    before = snapshot(partnership)

    # Staff status opens the admin site; it is no role on the site (issue 12).
    with pytest.raises(PermissionDenied):
        services.partnership_endorse(partnership=partnership, actor=UserFactory(is_staff=True))

    assert snapshot(partnership) == before


def test_staff_endorse_for_a_district_without_a_coordinator(world):
    c, officer_c = third_section(world, coordinated=False)
    partnership = propose(world, partner_sections=[c], gives={}, gains={})
    services.partnership_accept(partnership=partnership, section=c, actor=officer_c)

    services.partnership_endorse(partnership=partnership, actor=world.staff)

    assert set(partnership.endorsements.values_list("district_id", "endorsed_by_id")) == {
        (c.district_id, world.staff.pk)
    }
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED


# Acceptance and endorsement --------------------------------------------------------------------


def test_a_three_section_proposal_is_accepted_only_once_every_invited_section_has_accepted(world):
    c, officer_c = third_section(world)
    partnership = propose(world, partner_sections=[world.b, c])

    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.PROPOSED
    assert dict(partnership.participants.values_list("section_id", "response")) == {
        world.a.pk: Participant.Response.ACCEPTED,
        world.b.pk: Participant.Response.ACCEPTED,
        c.pk: Participant.Response.PENDING,
    }
    assert not partnership.transitions.filter(to_status=Status.ACCEPTED).exists()

    services.partnership_accept(partnership=partnership, section=c, actor=officer_c)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
    assert list(partnership.transitions.filter(to_status=Status.ACCEPTED).values_list("actor_id", flat=True)) == [
        officer_c.pk
    ]


def test_one_invited_section_declining_closes_a_three_section_proposal(world):
    c, officer_c = third_section(world)
    partnership = propose(world, partner_sections=[world.b, c])
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)

    services.partnership_decline(partnership=partnership, section=c, actor=officer_c, comment="Not this year")

    assert Partnership.objects.get(pk=partnership.pk).status == Status.DECLINED
    assert partnership.participants.get(section=c).response_comment == "Not this year"


def test_endorsement_needs_each_participating_district(world):
    partnership = accepted(world)

    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACCEPTED
    assert list(partnership.endorsements.values_list("district_id", flat=True)) == [world.a.district_id]

    services.partnership_endorse(partnership=partnership, actor=world.coordinator_b, comment="Fine by us")

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert set(partnership.endorsements.values_list("district_id", flat=True)) == {
        world.a.district_id,
        world.b.district_id,
    }
    assert partnership.transitions.filter(to_status=Status.ENDORSED).count() == 1


def test_a_partnership_inside_one_district_needs_one_endorsement(world):
    neighbour = SectionFactory(name="Alpha North", slug="alpha-north", district=world.a.district)
    neighbour_officer = OfficerFactory(section=neighbour).user
    partnership = propose(world, partner_sections=[neighbour], gives={}, gains={})
    services.partnership_accept(partnership=partnership, section=neighbour, actor=neighbour_officer)

    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert list(Endorsement.objects.filter(partnership=partnership).values_list("district_id", flat=True)) == [
        world.a.district_id
    ]


def test_a_coordinator_of_both_districts_endorses_for_both_at_once(world):
    CoordinatorFactory(district=world.b.district, user=world.coordinator_a)
    partnership = accepted(world)

    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert partnership.endorsements.filter(endorsed_by=world.coordinator_a).count() == 2


# Reasons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspending_needs_a_reason(world, reason):
    partnership = propose(world)
    put_in(partnership, Status.ACTIVE)
    before = snapshot(partnership)

    with pytest.raises(ValidationError) as refused:
        services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason=reason)

    assert "reason" in refused.value.error_dict
    assert snapshot(partnership) == before


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.SUSPENDED])
def test_ending_early_needs_a_reason(world, status):
    partnership = propose(world)
    put_in(partnership, status)
    before = snapshot(partnership)

    with pytest.raises(ValidationError) as refused:
        services.partnership_end(partnership=partnership, actor=world.officer_a, reason=" ")

    assert "reason" in refused.value.error_dict
    assert snapshot(partnership) == before


def test_ending_early_stores_the_reason_on_the_partnership(world, without_closing_gates):
    partnership = propose(world)
    put_in(partnership, Status.ACTIVE)

    services.partnership_end(partnership=partnership, actor=world.officer_b, reason="Funding fell through")

    stored = Partnership.objects.get(pk=partnership.pk)
    assert (stored.status, stored.end_reason) == (Status.ENDED, "Funding fell through")


@pytest.mark.parametrize("action", ["complete", "end"])
def test_a_closing_gate_answering_with_gaps_refuses_the_change_in_its_words(world, action, without_closing_gates):
    partnership = propose(world)
    put_in(partnership, Status.ACTIVE)
    before = snapshot(partnership)
    heard = []

    def gate(sender, *, partnership, action, actor, **kwargs):
        heard.append((partnership.status, action, actor))
        return ["Write the evaluation first."]

    partnership_closing.connect(gate)
    try:
        with pytest.raises(TransitionRefused, match="Not ready to be .*: Write the evaluation first."):
            act(action, partnership, world.officer_a)
    finally:
        partnership_closing.disconnect(gate)

    assert heard == [(Status.ACTIVE, action, world.officer_a)]
    assert snapshot(partnership) == before


def test_the_database_refuses_an_early_end_without_a_reason(world):
    partnership = propose(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(status=Status.ENDED, end_reason="")

    assert Partnership.objects.get(pk=partnership.pk).status == Status.PROPOSED


# Proposals with bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "partners",
    [
        pytest.param(lambda world: [world.a], id="partner-is-the-proposer"),
        pytest.param(lambda world: [world.b, world.b], id="same-partner-twice"),
        pytest.param(lambda world: [], id="no-partner"),
    ],
)
def test_a_proposal_with_a_bad_partner_is_a_partner_field_error_and_saves_nothing(world, partners):
    with pytest.raises(ValidationError) as refused:
        propose(world, partner_sections=partners(world))

    assert "partner" in refused.value.error_dict
    assert not Partnership.objects.exists()
    assert not Participant.objects.exists()


@pytest.mark.parametrize("open_status", [Status.DRAFT, Status.PROPOSED, Status.ACTIVE, Status.SUSPENDED])
def test_a_section_cannot_propose_to_a_partner_it_already_twins_with(world, open_status):
    first = propose(world)
    put_in(first, open_status)

    with pytest.raises(ValidationError) as refused:
        propose(world, title="Alpha and Beta again")

    assert "partner" in refused.value.error_dict
    assert "Alpha Section already has an open partnership with Beta Section" in str(refused.value)
    assert list(Partnership.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_partner_cannot_propose_back_while_a_partnership_is_open(world):
    first = propose(world)

    with pytest.raises(ValidationError) as refused:
        propose(world, actor=world.officer_b, proposing_section=world.b, partner_sections=[world.a])

    assert "partner" in refused.value.error_dict
    assert list(Partnership.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize("closed_status", [Status.DECLINED, Status.WITHDRAWN, Status.COMPLETED, Status.ENDED])
def test_a_closed_partnership_does_not_stop_a_new_proposal(world, closed_status):
    first = propose(world)
    put_in(first, closed_status)

    second = propose(world, title="Alpha and Beta, second round")

    assert Partnership.objects.get(pk=second.pk).status == Status.PROPOSED


@pytest.mark.parametrize(
    "end", [datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)], ids=["end-before-start", "end-on-start"]
)
def test_a_proposal_whose_dates_are_out_of_order_is_refused(world, end):
    with pytest.raises(ValidationError):
        propose(world, start_date=datetime.date(2026, 1, 1), planned_end_date=end)

    assert not Partnership.objects.exists()


@pytest.mark.parametrize("proposer", ["outsider", "officer_b", "coordinator_a", "staff"])
def test_only_an_officer_of_the_proposing_section_can_propose(world, proposer):
    with pytest.raises(PermissionDenied):
        propose(world, actor=getattr(world, proposer))

    assert not Partnership.objects.exists()

