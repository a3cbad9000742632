"""Two reconciliations at the same moment, each on its own database connection, as two
Celery workers (or a worker and `manage.py reconcile_points`) would run them: the ledger
ends with every entry the records earn, each once."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from evaluation.models import Evaluation
from partnerships.models import Status
from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared with the other apps' tests
from recognition.models import LedgerEntry, ReconciliationRun
from recognition.services import points
from recognition.services.reconcile import ledger_reconcile
from sections.tests.factories import SectionFactory
from twinning.tests.concurrency import at_the_same_moment

from . import records

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself, so two runs never overlap there",
    ),
]


def test_two_reconciliations_at_once_leave_no_duplicates_and_no_gaps(world):
    for n in range(6):
        partner = SectionFactory(name=f"Partner {n}", slug=f"partner-{n}")
        partnership = records.partnership_of(world.a, partner)
        records.move(partnership, Status.ACTIVE, datetime.date(2026, 1, 5))
        records.checkin(partnership, partner, datetime.date(2026, 4, 1))
        records.evaluation(partnership, Evaluation.Kind.MIDTERM, datetime.date(2026, 6, 1))
    expected = len(points.dues_for(points.all_occurrences()))

    results = at_the_same_moment(ledger_reconcile, ledger_reconcile)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert expected == 6 * 5
    assert LedgerEntry.objects.count() == expected
    assert sorted(run.filled for run in ReconciliationRun.objects.all()) == [0, expected]


def test_awards_racing_a_reconciliation_count_each_event_once(world):
    partnership = records.partnership_of(world.a, world.b)
    records.move(partnership, Status.ACTIVE, datetime.date(2026, 1, 5))

    def award():
        return points.points_award_activation(partnership=partnership)

    results = at_the_same_moment(award, award, ledger_reconcile)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert sorted(LedgerEntry.objects.values_list("section", flat=True)) == sorted([world.a.pk, world.b.pk])
