"""What is due for a user's sections: the open check-ins and the evaluations still to be
confirmed, for the officer's home (web) and their calendar feed. Each read is one query."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from partnerships.models import Partnership, Status

from ..models import CheckIn, Evaluation, EvaluationSide
from ..services.closing import OPEN_FOR, midpoint_of


def open_checkins(*, section_ids) -> list[CheckIn]:
    """Every check-in these sections have still to file in active partnerships, soonest first."""
    return list(
        CheckIn.objects.filter(
            state=CheckIn.State.DRAFT, section_id__in=section_ids, period__partnership__status=Status.ACTIVE
        )
        .select_related("section", "period__partnership")
        .order_by("due_on", "pk")
    )


def next_checkins(*, partnership_ids) -> dict[int, list[CheckIn]]:
    """For each active partnership, the open check-ins with its earliest due date (one per
    side still to report): the next thing due on it."""
    earliest: dict[int, list[CheckIn]] = defaultdict(list)
    checkins = (
        CheckIn.objects.filter(
            state=CheckIn.State.DRAFT, period__partnership_id__in=partnership_ids,
            period__partnership__status=Status.ACTIVE,
        )
        .select_related("section", "period")
        .order_by("due_on", "pk")
    )
    for checkin in checkins:
        first = earliest[checkin.period.partnership_id]
        if not first or first[0].due_on == checkin.due_on:
            first.append(checkin)
    return dict(earliest)


def _open_for() -> Q:
    """Evaluations whose partnership still lets them be changed and confirmed."""
    condition = Q()
    for kind, statuses in OPEN_FOR.items():
        condition |= Q(evaluation__kind=kind, evaluation__partnership__status__in=statuses)
    return condition


def open_evaluation_sides(*, section_ids, unconfirmed: bool = False) -> list[EvaluationSide]:
    """These sections' sides of evaluations not final yet (only those the section has still
    to confirm when `unconfirmed`), each with its evaluation and partnership."""
    sides = EvaluationSide.objects.filter(
        _open_for(), section_id__in=section_ids, evaluation__final_at__isnull=True
    )
    if unconfirmed:
        sides = sides.filter(confirmed_at__isnull=True)
    return list(
        sides.select_related("section", "evaluation__partnership").order_by("evaluation__partnership__title", "pk")
    )


def evaluation_target(evaluation: Evaluation, partnership: Partnership) -> datetime.date:
    """The day an evaluation is aimed at: a mid-term review at the plan's midpoint, the final
    evaluation at the planned end; one on ending early is due now, so from the day it began."""
    if evaluation.kind == Evaluation.Kind.MIDTERM:
        return midpoint_of(partnership)
    if evaluation.kind == Evaluation.Kind.FINAL:
        return partnership.planned_end_date
    return evaluation.created_at.date()
