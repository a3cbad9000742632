"""Each section's stored count of partnerships under way (Section.open_partnerships, what the
partner finder weighs) stays equal to a fresh count: through every transition of the
lifecycle, participants added or removed outside it, two transitions at the same moment, and
the command that checks and puts it right."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from partnerships import services
from partnerships.models import Participant, Partnership, Status
from partnerships.models.partnership import COMMITTED_STATUSES
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from partnerships.transitions import TRANSITIONS
from sections.models import Section
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.concurrency import at_the_same_moment

from .conftest import make_ready, propose
from .test_lifecycle import ALLOWED, REASON, act, put_in, rightful


def stored(*sections: Section) -> list[int]:
    return [Section.objects.get(pk=section.pk).open_partnerships for section in sections]


def fresh(section: Section) -> int:
    return (
        Participant.objects.filter(section=section, partnership__status__in=COMMITTED_STATUSES)
        .values("partnership").distinct().count()
    )


def test_the_count_follows_a_partnership_from_draft_to_completion(world, without_closing_gates):
    partnership = propose(world, submit=False)
    assert stored(world.a, world.b) == [0, 0]  # a draft takes no room

    services.partnership_submit(partnership=partnership, actor=world.officer_a)
    assert stored(world.a, world.b) == [1, 1]

    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_b)
    make_ready(world, partnership)
    services.partnership_activate(partnership=partnership, actor=world.officer_b)
    services.partnership_suspend(partnership=partnership, actor=world.officer_a, reason="Elections")
    services.partnership_resume(partnership=partnership, actor=world.officer_b)
    assert stored(world.a, world.b) == [1, 1]

    services.partnership_complete(partnership=partnership, actor=world.officer_a, reason="All done")
    assert stored(world.a, world.b) == [0, 0]


@pytest.mark.parametrize(("action", "source"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_every_transition_leaves_the_count_equal_to_a_fresh_count(world, action, source, without_closing_gates):
    other = SectionFactory(country="FR")
    OfficerFactory(section=other)
    # Alpha runs another partnership already: the count is more than "this one or none".
    services.partnership_propose(
        actor=world.officer_a, proposing_section=world.a, partner_sections=[other], title="Elsewhere",
        purpose="Another one.", forms=[], start_date=datetime.date(2026, 1, 1),
        planned_end_date=datetime.date(2027, 1, 1), gives={}, gains={},
    )
    partnership = make_ready(world, propose(world))
    put_in(partnership, source)
    services.open_partnerships_recount(section_ids=[world.a.pk, world.b.pk])  # put_in bypasses the services
    actor, section = rightful(world, action)
    if action == "endorse":
        act("endorse", partnership, world.coordinator_a)
        actor = world.coordinator_b

    act(action, partnership, actor, section=section, reason=REASON)

    claims = 1 if TRANSITIONS[action].target in COMMITTED_STATUSES else 0
    assert stored(world.a, world.b) == [1 + claims, claims]
    assert stored(world.a, world.b) == [fresh(world.a), fresh(world.b)]
    assert services.open_partnerships_drift() == {}


def test_participants_added_or_removed_outside_the_lifecycle_are_counted(db):
    section = SectionFactory()
    running = PartnershipFactory(status=Status.ACTIVE)
    ParticipantFactory(partnership=running, section=section)  # as the admin's inline adds one
    ParticipantFactory(partnership=PartnershipFactory(status=Status.DRAFT), section=section)
    ParticipantFactory(partnership=PartnershipFactory(status=Status.COMPLETED), section=section)
    assert stored(section) == [1]

    second = ParticipantFactory(partnership=PartnershipFactory(status=Status.PROPOSED), section=section)
    assert stored(section) == [2]

    second.delete()
    assert stored(section) == [1]

    running.delete()
    assert stored(section) == [0]
    assert services.open_partnerships_drift() == {}


def test_the_command_reports_a_wrong_count_then_puts_it_right(db, capsys):
    section = SectionFactory(name="Drifted")
    ParticipantFactory(partnership=PartnershipFactory(status=Status.ACTIVE), section=section)
    untouched = SectionFactory(name="Right")
    Section.objects.filter(pk=section.pk).update(open_partnerships=5)  # as a raw SQL change would

    with pytest.raises(CommandError, match="1 section"):
        call_command("recount_open_partnerships", "--check")
    assert "Drifted: stored 5, counted 1" in capsys.readouterr().out
    assert stored(section) == [5]  # --check changes nothing

    call_command("recount_open_partnerships")

    assert stored(section, untouched) == [1, 0]
    call_command("recount_open_partnerships", "--check")
    assert "is right" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update) and serialises writers itself",
)
def test_two_proposals_to_one_section_declined_at_the_same_moment_leave_its_count_right(world):
    gamma = SectionFactory(name="Gamma Section", slug="gamma", country="FR")
    officer_gamma = OfficerFactory(section=gamma).user
    with_beta = propose(world, title="With Beta")
    with_gamma = propose(world, title="With Gamma", partner_sections=[gamma])
    assert stored(world.a) == [2]

    def decline(pk: int, section: Section, actor):
        return lambda: services.partnership_decline(
            partnership=Partnership.objects.get(pk=pk), section=section, actor=actor
        )

    results = at_the_same_moment(
        decline(with_beta.pk, world.b, world.officer_b), decline(with_gamma.pk, gamma, officer_gamma)
    )

    assert [type(result).__name__ for result in results] == ["Partnership", "Partnership"]
    assert stored(world.a, world.b, gamma) == [0, 0, 0]


def test_saving_a_section_loaded_before_its_partnerships_keeps_their_count(db):
    section = SectionFactory()
    loaded_earlier = Section.objects.get(pk=section.pk)
    ParticipantFactory(partnership=PartnershipFactory(status=Status.ACTIVE), section=section)

    loaded_earlier.description = "Edited in a form opened a while ago."
    loaded_earlier.save()

    assert stored(section) == [1]
    assert Section.objects.get(pk=section.pk).description == "Edited in a form opened a while ago."
