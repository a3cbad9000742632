"""A check-in submission and a change of the partnership under its lock (resuming moves the
partnership's check-ins) at the same moment, each on its own connection: the submission
must take the partnership's lock before its check-in's, as every other service does, or
the two wait on each other until PostgreSQL kills one (a deadlock, a 500)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from evaluation.models import CheckIn
from evaluation.services.checkins import Progress
from partnerships.models import Partnership

from .checkin_helpers import checkin_of
from .test_checkin_plan import plan_item, running, submit  # noqa: F401 - running is a fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_a_submission_waiting_for_the_partnership_holds_no_lock_on_its_checkin(world, running):  # noqa: F811
    activity = plan_item(running)
    checkin = checkin_of(running, world.a, 0)
    locked, seen = threading.Event(), {}

    def partnership_change():
        try:
            with transaction.atomic():
                Partnership.objects.select_for_update().get(pk=running.pk)
                locked.set()
                time.sleep(1)  # the submission is now waiting for a lock
                # What partnership_resume does under this lock: move the partnership's check-ins.
                try:
                    with transaction.atomic():
                        CheckIn.objects.select_for_update(nowait=True).get(pk=checkin.pk)
                    seen["checkin"] = "free"
                except DatabaseError:
                    seen["checkin"] = "held by the waiting submission"
        finally:
            connection.close()

    thread = threading.Thread(target=partnership_change)
    thread.start()
    assert locked.wait(10)
    submit(running, world.a, world.officer_a, {activity.pk: Progress("in-progress", "", 40)})
    thread.join(10)

    assert seen == {"checkin": "free"}
    assert CheckIn.objects.get(pk=checkin.pk).state == CheckIn.State.SUBMITTED
