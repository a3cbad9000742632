"""Two reminder sweeps at the same moment, each on its own database connection, as two
Celery workers (or a worker and `manage.py send_reminders`) would run them: each reminder
is sent exactly once."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from evaluation.models import Reminder
from evaluation.services.reminders import send_due_reminders
from partnerships.models import Lead
from sections.models import Officer
from sections.tests.factories import OfficerFactory
from twinning.tests.concurrency import at_the_same_moment

from .monitoring import activate, at, d

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself, so two sweeps never overlap there",
    ),
]


class SlowBackend(EmailBackend):
    """The test backend with a mail server's pace, so two sweeps overlap for a while."""

    def send_messages(self, messages):
        time.sleep(0.02)
        return super().send_messages(messages)


def test_two_sweeps_at_the_same_moment_send_each_reminder_once(world, settings):
    partnership = activate(world, d(1, 1))
    # Five leads a side: ten reminders on each reminder day.
    for section in (world.a, world.b):
        for _ in range(4):
            Lead.objects.create(
                partnership=partnership, section=section,
                user=OfficerFactory(section=section, role=Officer.Role.SECRETARY).user,
            )
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    mail.outbox = []

    for day in (d(4, 16), d(4, 27), d(4, 30)):
        outbox_before = len(mail.outbox)
        with time_machine.travel(at(day), tick=False):
            results = at_the_same_moment(send_due_reminders, send_due_reminders)

        assert not [result for result in results if isinstance(result, Exception)], results
        assert sum(result.sent for result in results) == 10
        assert Reminder.objects.filter(sent_at=at(day)).count() == 10
        recipients = Counter(m.to[0] for m in mail.outbox[outbox_before:])
        assert len(recipients) == 10 and set(recipients.values()) == {1}, recipients

    assert Reminder.objects.count() == Reminder.objects.filter(sent_at__isnull=False).count() == 30
    assert len(mail.outbox) == 30
