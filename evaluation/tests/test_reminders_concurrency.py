"""Two reminder sweeps at the same moment, each on its own database connection, as two
Celery workers (or a worker and `manage.py send_reminders`) would run them: each reminder
is sent exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, transaction

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


def test_two_sweeps_at_the_same_moment_each_report_only_the_reminders_they_created(world):
    partnership = activate(world, d(1, 1))
    for section in (world.a, world.b):
        for _ in range(4):
            Lead.objects.create(
                partnership=partnership, section=section,
                user=OfficerFactory(section=section, role=Officer.Role.SECRETARY).user,
            )
    results = []

    with time_machine.travel(at(d(4, 16)), tick=False):
        runner = threading.Thread(
            target=lambda: results.extend(at_the_same_moment(send_due_reminders, send_due_reminders))
        )
        # The reminders table is held until both sweeps wait at their INSERT, so each has
        # looked at the table before either adds a row: the moment a count of the table
        # before and after would also count the other sweep's rows.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Reminder._meta.db_table} IN EXCLUSIVE MODE")
            runner.start()
            waiting, deadline = 0, time.monotonic() + 30
            while waiting < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                    [Reminder._meta.db_table],
                )
                [waiting] = cursor.fetchone()
            assert waiting == 2, "the two sweeps never reached their INSERT"
        runner.join(timeout=60)

        assert not [result for result in results if isinstance(result, Exception)], results
        assert Reminder.objects.count() == 10
        assert sum(result.created for result in results) == 10
        assert sum(result.sent for result in results) == 10

        out = StringIO()
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "Reminders: 0 created, 0 queued for sending; mid-term review offers: 0 queued."
