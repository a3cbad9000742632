"""A real Celery worker against the real broker: the reminder task, sent through Redis like
the beat scheduler sends it, runs in the worker and queues the due reminders, whose delivery
tasks go through Redis to the worker in turn; a message stored by the mail path is delivered
by the worker.

The test settings run tasks eagerly (in-process); these tests switch that off, so every
task here goes through the broker.

The worker runs in a thread of the test process (`celery.contrib.testing`), consuming from
the broker that REDIS_URL names; CI sets it to a Redis database of its own. The task runs
on the worker thread's own database connection, so the test's data must be committed:
a transactional test. Results are not kept (CELERY_TASK_IGNORE_RESULT, no result backend):
the test watches the database and the outbox instead."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.utils import timezone

from evaluation.models import Reminder
from evaluation.tasks import send_due_reminders
from twinning import mail as mail_path
from twinning.celery import app
from twinning.models import OutgoingMail

from .monitoring import activate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs a Redis broker: set REDIS_URL (CI sets redis://127.0.0.1:6379/15)",
    ),
]


@pytest.fixture(autouse=True)
def through_the_broker():
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_the_reminder_task_sent_through_redis_runs_in_a_worker_and_sends_the_due_reminders(world):
    with app.connection() as connection:
        assert connection.transport.driver_type == "redis", app.conf.broker_url
    # Activated 110 days ago: the first quarter's report is due in about ten days, so each
    # side's lead is due the 14-day reminder today.
    activate(world, timezone.localdate() - datetime.timedelta(days=110))
    mail.outbox = []

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        send_due_reminders.delay()

        # The activation's own messages go through the worker too: watch the reminders'.
        reminder_mail = OutgoingMail.objects.filter(template_name="evaluation/email/reminder")
        assert wait_for(lambda: reminder_mail.filter(status=OutgoingMail.Status.SENT).count() == 2)

    reminders = Reminder.objects.all()
    assert {(r.kind, r.occurrence, r.recipient_id) for r in reminders} == {
        (Reminder.Kind.BEFORE, 14, world.officer_a.pk),
        (Reminder.Kind.BEFORE, 14, world.officer_b.pk),
    }
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
    reminded = [m.to[0] for m in mail.outbox if m.subject.startswith("Check-in due")]
    assert sorted(reminded) == sorted([world.officer_a.email, world.officer_b.email])


def test_a_message_queued_by_the_mail_path_is_delivered_by_the_worker(world):
    mail.outbox = []

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        # Stored in a transaction; its delivery task goes to Redis when it commits.
        with transaction.atomic():
            [queued] = mail_path.send(
                "partnerships/email/event",
                to=[world.coordinator_a],
                context={
                    "event": "activated", "partnership": {"title": "Alpha and Beta"},
                    "message": "The partnership is active.", "url": "http://127.0.0.1:8000/partnerships/1/",
                },
            )
            assert OutgoingMail.objects.get(pk=queued.pk).status == OutgoingMail.Status.QUEUED

        assert wait_for(lambda: OutgoingMail.objects.get(pk=queued.pk).status == OutgoingMail.Status.SENT)

    [message] = mail.outbox
    assert message.to == [world.coordinator_a.email]
    assert message.subject == "Twinning partnership activated: Alpha and Beta"
