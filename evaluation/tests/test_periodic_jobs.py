"""Every periodic job fires once, on a day with something to do, and the beat schedule
names only tasks that exist."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask

from evaluation import tasks
from evaluation.models import DigestSent, HealthChange, Reminder
from twinning import tasks as mail_tasks
from twinning.celery import app
from twinning.models import OutgoingMail

from .monitoring import activate, at

pytestmark = pytest.mark.django_db

JOBS = {
    "evaluation.tasks.send_due_reminders": tasks.send_due_reminders,
    "evaluation.tasks.record_health": tasks.record_health,
    "evaluation.tasks.send_weekly_digests": tasks.send_weekly_digests,
    # Last: it delivers what the others queued.
    "twinning.tasks.deliver_due_mail": mail_tasks.deliver_due_mail,
}


def test_every_periodic_job_runs(world, django_capture_on_commit_callbacks):
    activate(world, datetime.date(2026, 1, 1))

    # A Monday two weeks after the first report was due: reminders, a change of health, digests.
    # The delivery tasks they queue on commit are left out (lost, as it were): the mail
    # sweep delivers every message.
    with time_machine.travel(at(datetime.date(2026, 5, 18), 6), tick=False), \
            django_capture_on_commit_callbacks(execute=False):
        results = {name: job() for name, job in JOBS.items()}

    assert results == {
        "evaluation.tasks.send_due_reminders": {"created": 2, "sent": 2, "offers_sent": 0},
        "evaluation.tasks.record_health": {"changed": 1},
        "evaluation.tasks.send_weekly_digests": {"sent": 2, "quiet": 0, "taken": 0},
        # Two escalations, the health change to two leads and two coordinators, two digests.
        "twinning.tasks.deliver_due_mail": {"sent": 8, "failed": 0},
    }
    assert Reminder.objects.filter(kind=Reminder.Kind.ESCALATION, sent_at__isnull=False).count() == 2
    assert HealthChange.objects.count() == 1
    assert DigestSent.objects.count() == 2
    assert len(mail.outbox) == OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 8


def test_the_beat_schedule_names_registered_tasks():
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    # What a worker registers: every app's tasks module, the higher apps' too (recognition's
    # nightly reconciliation, fired in recognition/tests, which this layer may not import).
    app.loader.import_default_modules()

    assert set(JOBS) <= scheduled
    assert scheduled <= set(app.tasks)
