"""The reporting schedule and the check-ins that fill it.

Periods are made when the partnership is activated or resumed (partnerships.signals, see
evaluation/receivers.py) and as time passes, by the hourly reminder sweep; never by a page
view. Only while the partnership is active, from its activation or its last resumption, so
a suspension pauses the schedule and completion ends it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Participant, Partnership, Status
from partnerships.models.partnership import RUNNING_STATUSES
from partnerships.models import Conflict
from partnerships.permissions import access_for
from partnerships.services import conflict_raise

from ..models import (
    ActivityProgress,
    CheckIn,
    CheckInAmendment,
    IndicatorActual,
    MonitoringSettings,
    ReportingPeriod,
    add_months,
)

ALREADY_SUBMITTED = gettext_lazy("This check-in was submitted already; correct it with an amendment.")

# What a check-in records, and what an amendment may correct.
CHECKIN_FIELDS = ("overall", "done", "received_rating", "communication_rating", "issues", "next_steps")


def _slot_end(anchor: datetime.date, cadence: int, k: int) -> datetime.date:
    """The last day of the k-th period counted from the anchor. Each end is computed from the
    anchor, never from the previous end, so a short month does not shift the schedule: monthly
    from 31 January runs 31 Jan–27 Feb, 28 Feb–30 Mar, 31 Mar–29 Apr…"""
    return add_months(anchor, (k + 1) * cadence) - datetime.timedelta(days=1)


def _first_slot(anchor: datetime.date, cadence: int, start: datetime.date) -> int:
    """The number k (counted from the anchor) of the period that contains `start`. Derived
    from the dates, so it needs no query and holds even when the periods already made do not
    sit on the anchor's slots (made before the schedule was anchored, or cut short by a
    resumption inside a period that was running when the partnership was suspended)."""
    months = (start.year - anchor.year) * 12 + start.month - anchor.month
    k = max(0, months // cadence - 1)
    while _slot_end(anchor, cadence, k) < start:
        k += 1
    return k


def schedule_extend(
    *, partnership: Partnership, today: datetime.date, settings: MonitoringSettings | None = None
) -> list[ReportingPeriod]:
    """Make the partnership's periods up to the one that contains `today`, with a check-in
    to fill for each participating section; return the periods made. Safe to run again
    and at the same time."""
    if partnership.status != Status.ACTIVE or partnership.schedule_from is None:
        return []
    known = partnership.periods.aggregate(last=Max("number"))["last"]
    periods_make_due(
        partnerships=Partnership.objects.filter(pk=partnership.pk),
        today=today,
        settings=settings or MonitoringSettings.current(),
    )
    made = partnership.periods.all() if known is None else partnership.periods.filter(number__gt=known)
    return list(made.order_by("number"))


def periods_make_due(*, partnerships: QuerySet[Partnership], today: datetime.date, settings: MonitoringSettings) -> int:
    """Make the periods (and their check-ins) of many partnerships at once, in five queries
    however many there are: the reminder sweep extends every partnership whose last period
    has ended. Periods run from the partnership's activation or last resumption, so a
    suspension pauses the schedule. Returns how many periods were made."""
    rows = list(
        partnerships.filter(status=Status.ACTIVE, schedule_from__isnull=False)
        .annotate(last_number=Max("periods__number"), last_end=Max("periods__ends_on"))
        .values_list("pk", "cadence", "schedule_from", "last_number", "last_end")
    )
    # Their ids, not the queryset: once the periods exist, a "behind" queryset matches none of them.
    ids = [row[0] for row in rows]
    sections = defaultdict(list)
    for partnership_id, section_id in Participant.objects.filter(
        partnership_id__in=ids
    ).values_list("partnership_id", "section_id"):
        sections[partnership_id].append(section_id)
    made = []
    for pk, cadence, schedule_from, last_number, last_end in rows:
        number = last_number + 1 if last_number is not None else 0
        start = max(last_end + datetime.timedelta(days=1), schedule_from) if last_end else schedule_from
        k = _first_slot(schedule_from, cadence, start)
        while start <= today:
            end = _slot_end(schedule_from, cadence, k)
            made.append(ReportingPeriod(
                partnership_id=pk, number=number, starts_on=start, ends_on=end,
                due_on=end + datetime.timedelta(days=settings.report_due_days),
            ))
            number, start, k = number + 1, end + datetime.timedelta(days=1), k + 1
    if not made:
        return 0
    # Another worker may have made the same periods a moment ago: the unique constraint keeps one.
    ReportingPeriod.objects.bulk_create(made, ignore_conflicts=True)
    wanted = {(period.partnership_id, period.number) for period in made}
    periods = [
        (pk, partnership_id, due_on)
        for pk, partnership_id, number, due_on in ReportingPeriod.objects.filter(
            partnership_id__in=ids, number__gte=min(period.number for period in made)
        ).values_list("pk", "partnership_id", "number", "due_on")
        if (partnership_id, number) in wanted
    ]
    CheckIn.objects.bulk_create(
        [CheckIn(period_id=pk, section_id=section_id, due_on=due_on)
         for pk, partnership_id, due_on in periods for section_id in sections[partnership_id]],
        ignore_conflicts=True,
    )
    return len(periods)


@transaction.atomic
def schedule_resume(*, partnership: Partnership, suspended_on: datetime.date, resumed_on: datetime.date) -> int:
    """A suspension pauses the period it interrupts: the open check-ins due on or after the
    day of the suspension (and their periods) are due later by the length of the pause, so
    nobody is reminded, or escalated, about reports that could not be made. Returns how many
    check-ins moved."""
    pause = resumed_on - suspended_on
    if pause <= datetime.timedelta(0):
        return 0
    checkins = CheckIn.objects.filter(
        period__partnership=partnership, state=CheckIn.State.DRAFT, due_on__gte=suspended_on
    )
    periods = ReportingPeriod.objects.filter(
        pk__in=checkins.values("period_id"), due_on__gte=suspended_on
    )
    periods.update(due_on=F("due_on") + pause)
    return checkins.update(due_on=F("due_on") + pause)


def _editable_checkin(checkin: CheckIn, actor, today: datetime.date) -> CheckIn:
    partnership = checkin.period.partnership
    if not access_for(actor, partnership).acts_for(checkin.section_id):
        raise PermissionDenied(_("Only the section's officers report for it."))
    # A suspended partnership still reports on the periods it ran before the pause.
    if partnership.status not in RUNNING_STATUSES:
        raise ValidationError(
            _("This partnership is %(status)s; its check-ins can no longer be filled in.")
            % {"status": partnership.get_status_display().lower()}
        )
    if checkin.period.ends_on > today:
        raise ValidationError(
            _("This period runs until %(end)s; its check-in opens then.") % {"end": checkin.period.ends_on}
        )
    return checkin


def _apply(checkin: CheckIn, data: dict, progress: dict[int, tuple[str, str]], actuals: dict[int, Decimal]) -> None:
    for name in CHECKIN_FIELDS:
        if name in data:
            setattr(checkin, name, data[name])
    for activity_id, (status, note) in progress.items():
        ActivityProgress.objects.update_or_create(
            checkin=checkin, activity_id=activity_id, defaults={"status": status, "note": note}
        )
    for indicator_id, value in actuals.items():
        if value is None:
            IndicatorActual.objects.filter(checkin=checkin, indicator_id=indicator_id).delete()
            continue
        IndicatorActual.objects.update_or_create(
            # The value describes the period, so it is dated by the period's end, not by the save.
            checkin=checkin, indicator_id=indicator_id,
            defaults={"value": value, "measured_on": checkin.period.ends_on},
        )


@transaction.atomic
def checkin_save(
    *, checkin: CheckIn, actor, data: dict, progress: dict[int, tuple[str, str]] | None = None,
    actuals: dict[int, Decimal | None] | None = None, submit: bool = False, today: datetime.date | None = None,
) -> CheckIn:
    """Save a check-in as a draft, or submit it (then it is read-only; a submission after
    the due date, judged in the section's own time zone, is marked late)."""
    checkin = CheckIn.objects.select_for_update().select_related("period__partnership", "section").get(pk=checkin.pk)
    today = today or timezone.localdate(timezone=checkin.section.time_zone)
    _editable_checkin(checkin, actor, today)
    if checkin.state == CheckIn.State.SUBMITTED:
        raise ValidationError(str(ALREADY_SUBMITTED), code="submitted")
    _apply(checkin, data, progress or {}, actuals or {})
    if submit:
        if not checkin.overall:
            raise ValidationError({"overall": [_("Say how the partnership is going overall.")]})
        checkin.state = CheckIn.State.SUBMITTED
        checkin.submitted_at = timezone.now()
        checkin.submitted_by = actor
        checkin.late = today > checkin.due_on
    checkin.full_clean()
    checkin.save()
    return checkin


@transaction.atomic
def checkin_submit(
    *, checkin: CheckIn, actor, data: dict, progress: dict[int, tuple[str, str]],
    actuals: dict[int, Decimal | None], log_conflict: bool = False,
) -> CheckIn:
    """Submit a check-in; with `log_conflict`, the issues it reports open a conflict in the
    partnership's log too. One change: neither is kept without the other."""
    checkin = checkin_save(checkin=checkin, actor=actor, data=data, progress=progress, actuals=actuals, submit=True)
    if log_conflict:
        description = _("Reported in the check-in of %(section)s for %(period)s: %(issues)s") % {
            "section": checkin.section, "period": checkin.period, "issues": checkin.issues,
        }
        conflict_raise(
            partnership=checkin.period.partnership, actor=actor,
            conflict=Conflict(raised_for_id=checkin.section_id, description=description),
        )
    return checkin


@transaction.atomic
def checkin_amend(*, checkin: CheckIn, actor, data: dict, reason: str) -> CheckInAmendment:
    """Correct a submitted check-in; the amendment keeps what changed, from what to what."""
    checkin = CheckIn.objects.select_for_update().select_related("period__partnership").get(pk=checkin.pk)
    if not access_for(actor, checkin.period.partnership).acts_for(checkin.section_id):
        raise PermissionDenied(_("Only the section's officers correct its check-ins."))
    if checkin.state != CheckIn.State.SUBMITTED:
        raise ValidationError(_("Only a submitted check-in is amended; edit the draft instead."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the check-in is corrected.")]})
    changes = {}
    for name in CHECKIN_FIELDS:
        if name in data and data[name] != getattr(checkin, name):
            changes[name] = {"from": getattr(checkin, name), "to": data[name]}
            setattr(checkin, name, data[name])
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    checkin.full_clean()
    checkin.save()
    return CheckInAmendment.objects.create(checkin=checkin, amended_by=actor, reason=reason, changes=changes)
