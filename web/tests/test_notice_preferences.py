"""Each kind of notice, from the real event that sends it, delivered as its recipient chose:
proposals and transitions, reminders, escalations, digests, recognition. The one who chose
otherwise gets no email now; the notice waits in the inbox (and the daily summary)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from evaluation.models import Reminder
from evaluation.services.digest import send_weekly_digests
from evaluation.tests.monitoring import activate, at, d, sweep
from partnerships.tests.conftest import propose
from recognition.models import DistrictRecognition
from recognition.services.districts import district_recognise
from sections.tests.factories import OfficerFactory
from twinning.models import Delivery, Notice, NoticeKind, OutgoingMail
from twinning.notices import notice_preferences_set
from twinning.summary import send_daily_summaries

pytestmark = pytest.mark.django_db


def choose(user, kind: str, delivery: str) -> None:
    notice_preferences_set(user=user, deliveries={kind: delivery})


def mailed_to(user, template: str) -> int:
    return OutgoingMail.objects.filter(to=user.email, template_name=template).count()


def notices_of(user, kind: str) -> list[tuple[str, str]]:
    return list(Notice.objects.filter(user=user, kind=kind).values_list("delivery", "link"))


def test_transitions_a_proposal_in_the_inbox_only(world, django_capture_on_commit_callbacks):
    choose(world.officer_b, NoticeKind.TRANSITIONS, Delivery.INBOX)
    other = OfficerFactory(section=world.b, role="treasurer").user
    with django_capture_on_commit_callbacks(execute=True):
        partnership = propose(world)
    assert mailed_to(world.officer_b, "partnerships/email/event") == 0
    assert notices_of(world.officer_b, NoticeKind.TRANSITIONS) == [(Delivery.INBOX, f"/partnerships/{partnership.pk}/")]
    # Beta's other officer chose nothing: an email at once, and the notice too.
    assert mailed_to(other, "partnerships/email/event") == 1
    assert notices_of(other, NoticeKind.TRANSITIONS) == [(Delivery.IMMEDIATE, f"/partnerships/{partnership.pk}/")]


def test_transitions_a_proposal_in_the_daily_summary(world):
    choose(world.officer_b, NoticeKind.TRANSITIONS, Delivery.DAILY)
    with time_machine.travel(at(d(3, 2), 9), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        propose(world)
    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_daily_summaries(at(d(3, 3), 8)).sent == 1
    [message] = mail.outbox
    assert message.to == [world.officer_b.email]
    assert "Alpha and Beta" in message.body


def test_reminders_before_the_due_date_in_the_inbox_only(world):
    activate(world, d(1, 1))
    choose(world.officer_a, NoticeKind.REMINDERS, Delivery.INBOX)
    with time_machine.travel(at(d(4, 16)), tick=False):
        assert sweep().sent == 2
    # Both reminders are made and marked sent; only Beta's officer is mailed.
    assert Reminder.objects.filter(kind=Reminder.Kind.BEFORE, sent_at__isnull=False).count() == 2
    assert Reminder.objects.get(recipient=world.officer_a).mail is None
    assert mailed_to(world.officer_a, "evaluation/email/reminder") == 0
    assert mailed_to(world.officer_b, "evaluation/email/reminder") == 1
    [(delivery, link)] = notices_of(world.officer_a, NoticeKind.REMINDERS)
    assert delivery == Delivery.INBOX and "/check-ins/" in link


def test_reminders_about_ones_own_overdue_checkin_cannot_be_switched_off(world):
    activate(world, d(1, 1))
    choose(world.officer_a, NoticeKind.REMINDERS, Delivery.INBOX)
    with time_machine.travel(at(d(5, 3)), tick=False):
        sweep()
    assert Reminder.objects.filter(kind=Reminder.Kind.OVERDUE).count() == 2
    assert mailed_to(world.officer_a, "evaluation/email/reminder") == 0
    # Moved to the daily summary, which mails it the next morning.
    assert [delivery for delivery, _ in notices_of(world.officer_a, NoticeKind.REMINDERS)] == [Delivery.DAILY]
    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_daily_summaries(at(d(5, 4), 7))
    assert [m.to for m in mail.outbox] == [[world.officer_a.email]]


def test_escalations_in_the_daily_summary(world):
    activate(world, d(1, 1))
    choose(world.coordinator_a, NoticeKind.ESCALATIONS, Delivery.DAILY)
    with time_machine.travel(at(d(5, 14)), tick=False):
        sweep()
    assert Reminder.objects.filter(kind=Reminder.Kind.ESCALATION).count() == 2
    assert mailed_to(world.coordinator_a, "evaluation/email/reminder") == 0
    assert mailed_to(world.coordinator_b, "evaluation/email/reminder") == 1
    assert [delivery for delivery, _ in notices_of(world.coordinator_a, NoticeKind.ESCALATIONS)] == [Delivery.DAILY]


def test_digests_in_the_inbox_only(world):
    activate(world, d(1, 1))
    choose(world.coordinator_a, NoticeKind.DIGESTS, Delivery.INBOX)
    with time_machine.travel(at(d(5, 11), 6), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        result = send_weekly_digests(d(5, 11))
    assert result.sent == 2
    assert mailed_to(world.coordinator_a, "evaluation/email/digest") == 0
    assert mailed_to(world.coordinator_b, "evaluation/email/digest") == 1
    assert [delivery for delivery, _ in notices_of(world.coordinator_a, NoticeKind.DIGESTS)] == [Delivery.INBOX]


def test_recognition_in_the_inbox_only(world, django_capture_on_commit_callbacks):
    choose(world.officer_a, NoticeKind.RECOGNITION, Delivery.INBOX)
    with django_capture_on_commit_callbacks(execute=True):
        district_recognise(
            district=world.a.district, section=world.a, year=datetime.date.today().year,
            category=DistrictRecognition.Category.values[0], citation="A fine year.", actor=world.coordinator_a,
        )
    assert mailed_to(world.officer_a, "recognition/email/district_recognition") == 0
    [(delivery, link)] = notices_of(world.officer_a, NoticeKind.RECOGNITION)
    assert delivery == Delivery.INBOX and link == f"/recognition/districts/{world.a.district.code}/"
