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
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Activity, Conflict, Indicator, Participant, Partnership, Status
from partnerships.models.partnership import RUNNING_STATUSES
from partnerships.permissions import access_for
from partnerships.services import activity_progress_record, conflict_raise

from ..models import (
    ActivityProgress,
    CheckIn,
    CheckInAmendment,
    IndicatorActual,
    MonitoringSettings,
    ReportingPeriod,
    add_months,
)
from ..signals import checkin_submitted
from .checkin_exchanges import ExchangeAnswer, exchanges_apply, exchanges_record

ALREADY_SUBMITTED = gettext_lazy("This check-in was submitted already; correct it with an amendment.")

# What a check-in records, and what an amendment may correct (with the progress and actuals).
CHECKIN_FIELDS = ("overall", "done", "received_rating", "communication_rating", "issues", "next_steps")
PROGRESS_FIELDS = ("status", "percent", "note")


class Progress(NamedTuple):
    """What a check-in says of one activity: its status, how far it got (0–100, or None
    when not said) and a note."""

    status: str
    note: str = ""
    percent: int | None = None


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
    return checkins.update(due_on=F("due_on") + pause, next_reminder_at=None)


def _lock_checkin(checkin: CheckIn) -> CheckIn:
    """Lock the check-in's partnership, then the check-in. The partnership comes first, in a
    statement of its own, as in every service that changes a partnership (resuming moves
    its check-ins under that lock): a submission holding its check-in while it waits for
    the partnership would deadlock with it. A submission now moves the plan, which takes
    the partnership's lock anyway."""
    list(Partnership.objects.select_for_update(of=("self",)).filter(periods__checkins=checkin.pk).values_list("pk"))
    return CheckIn.objects.select_for_update().select_related("period__partnership", "section").get(pk=checkin.pk)


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
            _("This period runs until %(end)s; its check-in opens then.") % {"end": date_format(checkin.period.ends_on)}
        )
    return checkin


def _check_plan_items(checkin: CheckIn, progress: dict, actuals: dict) -> tuple[dict[int, Activity], dict[int, Indicator]]:
    """The partnership's activities and indicators the report names; a field error for a
    percent out of range, a refusal for an item of another plan."""
    partnership_id = checkin.period.partnership_id
    activities = Activity.objects.in_bulk([*progress]) if progress else {}
    indicators = Indicator.objects.in_bulk([*actuals]) if actuals else {}
    if len(activities) != len(progress) or len(indicators) != len(actuals) or any(
        item.partnership_id != partnership_id for item in [*activities.values(), *indicators.values()]
    ):
        raise ValidationError(_("The report names something that is not in this partnership's plan."))
    errors = {
        f"activity_{activity_id}_percent": [_("Give a whole number from 0 to 100.")]
        for activity_id, report in progress.items()
        if report is not None and report.percent is not None and not 0 <= report.percent <= 100
    }
    if errors:
        raise ValidationError(errors)
    return activities, indicators


def _apply(
    checkin: CheckIn, data: dict, progress: dict[int, Progress | None], actuals: dict[int, Decimal | None]
) -> None:
    _check_plan_items(checkin, progress, actuals)
    for name in CHECKIN_FIELDS:
        if name in data:
            setattr(checkin, name, data[name])
    for activity_id, report in progress.items():
        if report is None:
            ActivityProgress.objects.filter(checkin=checkin, activity_id=activity_id).delete()
            continue
        ActivityProgress.objects.update_or_create(
            checkin=checkin, activity_id=activity_id,
            defaults={"status": report.status, "note": report.note, "percent": report.percent},
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


def _progress_to_plan(checkin: CheckIn, actor, progress: dict[int, Progress], reason: str) -> None:
    """Move the plan's activities to what this submitted check-in reports of them.

    Only the section that carries an activity out moves it: the other side's report on it
    stays its own report, shown with its check-in, and does not overwrite the plan, so two
    sides who see an activity differently do not make it flip back and forth. And only the
    latest report moves it: a report on an earlier period (submitted late, or amended
    later) does not undo what a later one said."""
    partnership = checkin.period.partnership
    if not partnership.is_open:
        return  # A closed partnership's plan is its record; a late correction stays on the check-in.
    owned = set(
        Activity.objects.filter(pk__in=progress, owning_section_id=checkin.section_id).values_list("pk", flat=True)
    )
    superseded = set(
        ActivityProgress.objects.filter(
            activity_id__in=owned, checkin__section_id=checkin.section_id, checkin__state=CheckIn.State.SUBMITTED,
            checkin__period__number__gt=checkin.period.number,
        ).values_list("activity_id", flat=True)
    )
    moves = {pk: (progress[pk].status, progress[pk].percent) for pk in sorted(owned - superseded)}
    if moves:
        activity_progress_record(partnership=partnership, actor=actor, progress=moves, reason=reason)


def _from_checkin(checkin: CheckIn) -> str:
    return _("From the check-in of %(section)s for %(period)s") % {"section": checkin.section, "period": checkin.period}


@transaction.atomic
def checkin_save(
    *, checkin: CheckIn, actor, data: dict, progress: dict[int, Progress | None] | None = None,
    actuals: dict[int, Decimal | None] | None = None, exchanges: dict[int, ExchangeAnswer | None] | None = None,
    submit: bool = False, today: datetime.date | None = None,
) -> CheckIn:
    """Save a check-in as a draft, or submit it (then it is read-only; a submission after
    the due date, judged in the section's own time zone, is marked late). `progress` maps
    an activity to its report, or to None to take a draft's report back; `actuals` maps an
    indicator to its value, or to None to clear it; `exchanges` maps an exchange of the
    period to what the section says of it, or to None to take a draft's answer back.

    A submission moves the plan's activities to the status and % complete it reports,
    each change in the plan's history naming the check-in (see `_progress_to_plan`), and
    each exchange it answered for to done, under way or cancelled (see checkin_exchanges)."""
    checkin = _lock_checkin(checkin)
    today = today or timezone.localdate(timezone=checkin.section.time_zone)
    _editable_checkin(checkin, actor, today)
    if checkin.state == CheckIn.State.SUBMITTED:
        raise ValidationError(str(ALREADY_SUBMITTED), code="submitted")
    _apply(checkin, data, progress or {}, actuals or {})
    exchanges_record(checkin=checkin, answers=exchanges or {}, today=today)
    if submit:
        if not checkin.overall:
            raise ValidationError({"overall": [_("Say how the partnership is going overall.")]})
        checkin.state = CheckIn.State.SUBMITTED
        checkin.submitted_at = timezone.now()
        checkin.submitted_by = actor
        checkin.late = today > checkin.due_on
    checkin.full_clean()
    checkin.save()
    if submit:
        reported = {p.activity_id: Progress(p.status, p.note, p.percent) for p in checkin.progress.all()}
        if reported:
            _progress_to_plan(checkin, actor, reported, _from_checkin(checkin))
        exchanges_apply(checkin=checkin, actor=actor, today=today)
        transaction.on_commit(lambda: checkin_submitted.send(sender=CheckIn, checkin=checkin))
    return checkin


@transaction.atomic
def checkin_submit(
    *, checkin: CheckIn, actor, data: dict, progress: dict[int, Progress | None],
    actuals: dict[int, Decimal | None], exchanges: dict[int, ExchangeAnswer | None] | None = None,
    log_conflict: bool = False,
) -> CheckIn:
    """Submit a check-in; with `log_conflict`, the issues it reports open a conflict in the
    partnership's log too. One change: neither is kept without the other."""
    checkin = checkin_save(
        checkin=checkin, actor=actor, data=data, progress=progress, actuals=actuals, exchanges=exchanges, submit=True
    )
    if log_conflict:
        description = _("Reported in the check-in of %(section)s for %(period)s: %(issues)s") % {
            "section": checkin.section, "period": checkin.period, "issues": checkin.issues,
        }
        conflict_raise(
            partnership=checkin.period.partnership, actor=actor,
            conflict=Conflict(raised_for_id=checkin.section_id, description=description),
        )
    return checkin


def _amount(value: Decimal | None) -> str | None:
    """A value as the amendment's record keeps it (JSON has no decimals)."""
    return None if value is None else f"{value.normalize():f}"


def _amend_progress(checkin: CheckIn, progress: dict[int, Progress], activities: dict[int, Activity]) -> list[dict]:
    """Correct the reported progress; each field changed, from what to what."""
    stored = {p.activity_id: p for p in checkin.progress.filter(activity_id__in=progress)}
    changes = []
    for activity_id, report in sorted(progress.items()):
        before = stored.get(activity_id)
        for name in PROGRESS_FIELDS:
            old, new = getattr(before, name, None), getattr(report, name)
            if old != new and not (before is None and name == "note" and not new):
                changes.append({
                    "activity": activity_id, "title": activities[activity_id].title,
                    "field": name, "from": old, "to": new,
                })
        if any(change["activity"] == activity_id for change in changes):
            ActivityProgress.objects.update_or_create(
                checkin=checkin, activity_id=activity_id,
                defaults={"status": report.status, "note": report.note, "percent": report.percent},
            )
    return changes


def _amend_actuals(
    checkin: CheckIn, actuals: dict[int, Decimal | None], indicators: dict[int, Indicator]
) -> list[dict]:
    """Correct the reported indicator values (None clears one); each change, from what to what."""
    stored = {a.indicator_id: a.value for a in checkin.actuals.filter(indicator_id__in=actuals)}
    changes = []
    for indicator_id, value in sorted(actuals.items()):
        old = stored.get(indicator_id)
        if old == value:
            continue
        changes.append({
            "indicator": indicator_id, "name": indicators[indicator_id].name,
            "from": _amount(old), "to": _amount(value),
        })
        if value is None:
            checkin.actuals.filter(indicator_id=indicator_id).delete()
        else:
            IndicatorActual.objects.update_or_create(
                checkin=checkin, indicator_id=indicator_id,
                defaults={"value": value, "measured_on": checkin.period.ends_on},
            )
    return changes


@transaction.atomic
def checkin_amend(
    *, checkin: CheckIn, actor, data: dict, reason: str,
    progress: dict[int, Progress] | None = None, actuals: dict[int, Decimal | None] | None = None,
) -> CheckInAmendment:
    """Correct a submitted check-in: its fields, the progress it reports (`progress`: the
    corrected report of each activity named) and its indicator values (`actuals`; None
    clears one). The amendment keeps what changed, from what to what; corrected progress
    moves the plan as a submission does, its history naming the amendment."""
    checkin = _lock_checkin(checkin)
    if not access_for(actor, checkin.period.partnership).acts_for(checkin.section_id):
        raise PermissionDenied(_("Only the section's officers correct its check-ins."))
    if checkin.state != CheckIn.State.SUBMITTED:
        raise ValidationError(_("Only a submitted check-in is amended; edit the draft instead."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the check-in is corrected.")]})
    progress, actuals = progress or {}, actuals or {}
    activities, indicators = _check_plan_items(checkin, progress, actuals)
    changes: dict = {}
    for name in CHECKIN_FIELDS:
        if name in data and data[name] != getattr(checkin, name):
            changes[name] = {"from": getattr(checkin, name), "to": data[name]}
            setattr(checkin, name, data[name])
    progress_changes = _amend_progress(checkin, progress, activities)
    if progress_changes:
        changes["progress"] = progress_changes
    actual_changes = _amend_actuals(checkin, actuals, indicators)
    if actual_changes:
        changes["actuals"] = actual_changes
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    checkin.full_clean()
    checkin.save()
    amendment = CheckInAmendment.objects.create(checkin=checkin, amended_by=actor, reason=reason, changes=changes)
    moved = {change["activity"] for change in progress_changes if change["field"] != "note"}
    if moved:
        _progress_to_plan(
            checkin, actor, {pk: progress[pk] for pk in moved},
            _("From an amendment to the check-in of %(section)s for %(period)s")
            % {"section": checkin.section, "period": checkin.period},
        )
    return amendment
