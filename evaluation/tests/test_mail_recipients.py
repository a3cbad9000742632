"""Only people who still answer for a section hear of its partnership: a lead whose office
has ended and a lead whose account is closed get none of the monitoring and evaluation mail
the leads in office get, and neither does a coordinator whose term ended or whose account
is closed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from evaluation.models import Evaluation, MidtermOffer, MonitoringSettings, Reminder
from evaluation.services.closing import evaluation_confirm, evaluation_save
from evaluation.services.health import record_health_changes
from evaluation.services.reminders import create_due_reminders, create_midterm_offers
from partnerships.models import Lead
from sections.models import Officer
from sections.tests.factories import CoordinatorFactory, OfficerFactory

from .closing_helpers import confirmed
from .monitoring import activate, at, d, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world):
    """The world's partnership, active since 1 January 2026, led by its two officers, by
    Fred, whose office in Alpha ended on 1 February, and by Cleo, whose account is closed:
    (partnership, former, closed)."""
    partnership = activate(world, d(1, 1))
    former = OfficerFactory(
        section=world.a, role=Officer.Role.SECRETARY, end_date=d(2, 1), user__full_name="Fred Former"
    ).user
    closed = OfficerFactory(section=world.b, role=Officer.Role.SECRETARY, user__full_name="Cleo Closed").user
    Lead.objects.create(partnership=partnership, section=world.a, user=former)
    Lead.objects.create(partnership=partnership, section=world.b, user=closed)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    mail.outbox = []
    return partnership, former, closed


def received(subject_start: str) -> list[str]:
    """Who got the messages whose subject starts so, one address a message."""
    messages = [m for m in mail.outbox if m.subject.startswith(subject_start)]
    assert all(len(m.to) == 1 for m in messages)
    return sorted(m.to[0] for m in messages)


def test_check_in_reminders_go_to_the_leads_in_office_only(world, running):
    with time_machine.travel(at(d(4, 16)), tick=False):
        sweep()

    assert received("Check-in due on 30 Apr 2026") == sorted([world.officer_a.email, world.officer_b.email])


def test_a_reminder_left_unsent_is_not_sent_to_a_lead_who_has_left_since(world, running):
    partnership, former, closed = running
    # A sweep that stopped after creating the reminders, while Fred and Cleo still led...
    Officer.objects.filter(user=former).update(end_date=None)
    closed.is_active = True
    closed.save(update_fields=["is_active"])
    with time_machine.travel(at(d(4, 16)), tick=False):
        create_due_reminders(at(d(4, 16)), MonitoringSettings.current())
    assert Reminder.objects.count() == 4
    # ...then Fred's office ended and Cleo's account was closed before the next sweep.
    Officer.objects.filter(user=former).update(end_date=d(4, 16))
    closed.is_active = False
    closed.save(update_fields=["is_active"])

    with time_machine.travel(at(d(4, 17)), tick=False):
        assert sweep().sent == 2

    assert received("Check-in due") == sorted([world.officer_a.email, world.officer_b.email])
    assert set(Reminder.objects.values_list("recipient_id", flat=True)) == {world.officer_a.pk, world.officer_b.pk}


def test_escalations_skip_coordinators_whose_term_ended_or_whose_account_is_closed(world, running):
    ended = CoordinatorFactory(district=world.a.district, start_date=datetime.date(2024, 1, 1), end_date=d(5, 1)).user
    inactive = CoordinatorFactory(district=world.b.district, user__is_active=False).user

    with time_machine.travel(at(d(5, 14)), tick=False):
        sweep()

    escalated = received("Overdue check-in needs your attention")
    assert escalated == sorted([world.coordinator_a.email, world.coordinator_b.email])
    assert ended.email not in escalated and inactive.email not in escalated


def test_the_midterm_offer_goes_to_the_leads_in_office_only(world, running):
    with time_machine.travel(at(d(10, 1)), tick=False):
        assert sweep().offers_sent == 2

    assert received("Halfway through") == sorted([world.officer_a.email, world.officer_b.email])


def test_a_midterm_offer_left_unsent_is_not_sent_to_a_lead_who_has_left_since(world, running):
    partnership, former, closed = running
    Officer.objects.filter(user=former).update(end_date=None)
    create_midterm_offers(d(10, 1))
    assert MidtermOffer.objects.count() == 3
    Officer.objects.filter(user=former).update(end_date=d(10, 1))

    with time_machine.travel(at(d(10, 2)), tick=False):
        assert sweep().offers_sent == 2

    assert received("Halfway through") == sorted([world.officer_a.email, world.officer_b.email])
    assert not MidtermOffer.objects.filter(recipient=former).exists()


def test_a_health_change_is_announced_to_the_leads_in_office_and_the_coordinators(
    world, running, django_capture_on_commit_callbacks
):
    for day in (d(1, 2), d(3, 2)):
        with time_machine.travel(at(day, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
            record_health_changes(day)

    assert received("Health now cooling") == sorted(
        [world.officer_a.email, world.officer_b.email, world.coordinator_a.email, world.coordinator_b.email]
    )


def test_evaluation_mail_goes_to_the_leads_in_office_only(world, running, django_capture_on_commit_callbacks):
    partnership, _former, _closed = running

    with django_capture_on_commit_callbacks(execute=True):
        evaluation = confirmed(world, partnership, Evaluation.Kind.MIDTERM, sides=("a",))
    assert received("Alpha Section confirmed the") == [world.officer_b.email]

    with django_capture_on_commit_callbacks(execute=True):
        evaluation_save(evaluation=evaluation, actor=world.officer_b, data={"summary": "One exchange ran."})
    assert received("Changed after your confirmation") == [world.officer_a.email]

    with django_capture_on_commit_callbacks(execute=True):
        evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
        evaluation_confirm(evaluation=evaluation, section=world.b, actor=world.officer_b)
    assert received("Confirmed by every side") == sorted([world.officer_a.email, world.officer_b.email])
