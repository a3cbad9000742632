"""A running partnership for the check-in tests: the partnerships world's two sections,
activated on a chosen day with the real services, and what a refused change could touch."""

from __future__ import annotations

import datetime

from evaluation.models import ActivityProgress, CheckIn, CheckInAmendment, IndicatorActual
from evaluation.tests import monitoring
from evaluation.tests.monitoring import at, checkin_of  # noqa: F401 - shared with the check-in tests
from partnerships.models import Partnership
from partnerships.tests.conftest import World

ACTIVATED = datetime.date(2026, 1, 15)
# Quarterly from 15 January: the first period ends on 14 April and its report is due 30 days later.
FIRST_END, FIRST_DUE = datetime.date(2026, 4, 14), datetime.date(2026, 5, 14)


def activate(world: World, on: datetime.date = ACTIVATED, *, cadence: int | None = None) -> Partnership:
    return monitoring.activate(world, on, cadence=cadence)


def spans(partnership: Partnership) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
    return list(partnership.periods.order_by("number").values_list("starts_on", "ends_on", "due_on"))


def stored(checkin: CheckIn) -> dict:
    """What a refused change could have touched, read back from the database."""
    row = CheckIn.objects.get(pk=checkin.pk)
    return {
        "fields": (row.state, row.overall, row.done, row.received_rating, row.communication_rating, row.issues,
                   row.next_steps, row.submitted_at, row.late),
        "progress": list(ActivityProgress.objects.filter(checkin=row).values_list("activity_id", "status", "note")),
        "actuals": list(IndicatorActual.objects.filter(checkin=row).values_list("indicator_id", "value")),
        "amendments": CheckInAmendment.objects.filter(checkin=row).count(),
    }
