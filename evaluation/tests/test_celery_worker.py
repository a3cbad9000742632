"""A real Celery worker against the real broker: the reminder task, sent through Redis like
the beat scheduler sends it, runs in the worker and sends the due reminders.

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
from django.utils import timezone

from evaluation.models import Reminder
from evaluation.tasks import send_due_reminders
from twinning.celery import app

from .monitoring import activate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs a Redis broker: set REDIS_URL (CI sets redis://127.0.0.1:6379/15)",
    ),
]


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

        assert wait_for(lambda: Reminder.objects.filter(sent_at__isnull=False).count() == 2 and len(mail.outbox) == 2)

    reminders = Reminder.objects.all()
    assert {(r.kind, r.occurrence, r.recipient_id) for r in reminders} == {
        (Reminder.Kind.BEFORE, 14, world.officer_a.pk),
        (Reminder.Kind.BEFORE, 14, world.officer_b.pk),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.officer_a.email, world.officer_b.email])
