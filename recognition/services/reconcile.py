"""The nightly reconciliation: what the rules say every record earns, against the ledger.
It fills the entries missing (an event whose hook did not run: a worker died, a record
changed in the admin) and reverses those whose event was undone, and records what it did.

Safe to run twice at the same moment: on PostgreSQL the runs take a transaction-level
advisory lock in turn, so the second finds nothing to do and its record says so; the
unique constraint with `ignore_conflicts` is the guarantee behind it (and the only one on
SQLite, where writes are serialised anyway)."""

from __future__ import annotations

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone

from ..models import ReconciliationRun
from .points import all_occurrences, dues_for, points_award, points_reverse_undone

logger = logging.getLogger(__name__)

# Any fixed number: the key of the advisory lock that orders two reconciliations.
LOCK_KEY = 0x7EC0_2C11


def ledger_reconcile(*, today: datetime.date | None = None) -> ReconciliationRun:
    today = today or timezone.localdate()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        run = ReconciliationRun.objects.create()
        dues = dues_for(all_occurrences())
        filled = points_award(dues, every_source=True)
        reversals = points_reverse_undone(dues=dues, today=today)
        run.filled, run.reversed = len(filled), len(reversals)
        run.details = [
            {"action": "filled", "section": entry.section_id, "rule": entry.rule_id, "source_type": entry.source_type_id,
             "source_id": entry.source_id, "points": entry.points, "on": entry.occurred_on.isoformat()}
            for entry in filled
        ] + [
            {"action": "reversed", "section": entry.section_id, "rule": entry.rule_id, "source_type": entry.source_type_id,
             "source_id": entry.source_id, "points": entry.points}
            for entry in reversals
        ]
        run.finished_at = timezone.now()
        run.save(update_fields=["filled", "reversed", "details", "finished_at"])
    if filled or reversals:
        logger.warning("Points reconciliation filled %s entries and reversed %s: %s", len(filled), len(reversals), run.details)
    else:
        logger.info("Points reconciliation: the ledger matches the records.")
    return run

