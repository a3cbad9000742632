"""The nightly reconciliation is scheduled, runs from the task and the command alike."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from partnerships.models import Status
from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests
from recognition import tasks
from recognition.models import LedgerEntry, ReconciliationRun
from twinning.celery import app

from . import records

pytestmark = pytest.mark.django_db


def test_the_reconciliation_is_scheduled_nightly_under_a_registered_task():
    job = PeriodicTask.objects.get(task="recognition.tasks.reconcile_ledger")

    assert job.enabled and job.crontab.hour == "3" and job.crontab.day_of_week == "*"
    assert job.task in app.tasks


def test_the_task_fills_the_ledger_and_a_second_run_finds_nothing(world):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, datetime.date(2026, 3, 1))

    assert tasks.reconcile_ledger() == {"filled": 2, "reversed": 0}
    assert tasks.reconcile_ledger() == {"filled": 0, "reversed": 0}
    assert LedgerEntry.objects.count() == 2


def test_the_command_runs_the_same_reconciliation(world, capsys):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, datetime.date(2026, 3, 1))

    call_command("reconcile_points")

    assert "2 entries filled, 0 reversed" in capsys.readouterr().out
    assert ReconciliationRun.objects.get().filled == 2
