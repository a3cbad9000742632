"""The mid-term review offer: made by the reminder sweep once the plan's midpoint has
passed, once to each lead, never again; not once a review has started."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from evaluation.models import MidtermOffer
from evaluation.services.closing import evaluation_start, midpoint_of
from evaluation.services.reminders import send_due_reminders
from partnerships.models import Lead
from sections.models import Officer
from sections.tests.factories import OfficerFactory
from twinning.tests.concurrency import at_the_same_moment

from .monitoring import activate, at, d, sweep


def offers_mailed() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox if "mid-term review" in message.subject)


@pytest.mark.django_db
class TestOffers:
    def test_the_midpoint_is_halfway_through_the_plan(self, world):
        partnership = activate(world, d(1, 15))  # planned from 1 January 2026 to 30 June 2027

        assert midpoint_of(partnership) == d(9, 30)

    def test_each_lead_is_offered_the_review_once_after_the_midpoint(self, world):
        activate(world, d(1, 15))
        mail.outbox = []

        with time_machine.travel(at(d(9, 29)), tick=False):
            assert sweep().offers_sent == 0
        with time_machine.travel(at(d(9, 30)), tick=False):
            assert sweep().offers_sent == 2
        with time_machine.travel(at(d(10, 1)), tick=False):
            assert sweep().offers_sent == 0

        assert offers_mailed() == sorted([world.officer_a.email, world.officer_b.email])
        assert MidtermOffer.objects.filter(sent_at__isnull=False).count() == 2

    def test_no_offer_once_a_review_has_started(self, world):
        partnership = activate(world, d(1, 15))
        evaluation_start(partnership=partnership, kind="midterm", actor=world.officer_a)
        mail.outbox = []

        with time_machine.travel(at(d(10, 1)), tick=False):
            sweep()

        assert offers_mailed() == []
        assert not MidtermOffer.objects.exists()

    def test_a_lead_named_later_gets_an_offer_of_their_own(self, world):
        partnership = activate(world, d(1, 15))
        with time_machine.travel(at(d(10, 1)), tick=False):
            sweep()
        newcomer = OfficerFactory(section=world.a, role=Officer.Role.SECRETARY).user
        Lead.objects.create(partnership=partnership, section=world.a, user=newcomer)
        mail.outbox = []

        with time_machine.travel(at(d(10, 2)), tick=False):
            assert sweep().offers_sent == 1

        assert offers_mailed() == [newcomer.email]

    def test_the_offer_links_to_the_midterm_review(self, world):
        partnership = activate(world, d(1, 15))
        mail.outbox = []
        with time_machine.travel(at(d(10, 1)), tick=False):
            sweep()

        assert f"/partnerships/{partnership.pk}/evaluation/midterm/" in mail.outbox[-1].body


class SlowBackend(EmailBackend):
    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers itself")
def test_two_sweeps_at_the_same_moment_offer_each_lead_once(world, settings):
    partnership = activate(world, d(1, 15))
    for section in (world.a, world.b):
        for _ in range(3):
            Lead.objects.create(
                partnership=partnership, section=section,
                user=OfficerFactory(section=section, role=Officer.Role.SECRETARY).user,
            )
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    mail.outbox = []

    with time_machine.travel(at(d(10, 1)), tick=False):
        results = at_the_same_moment(send_due_reminders, send_due_reminders)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sum(result.offers_sent for result in results) == 8
    assert MidtermOffer.objects.count() == MidtermOffer.objects.filter(sent_at__isnull=False).count() == 8
    recipients = Counter(message.to[0] for message in mail.outbox if "mid-term review" in message.subject)
    assert len(recipients) == 8 and set(recipients.values()) == {1}, recipients
