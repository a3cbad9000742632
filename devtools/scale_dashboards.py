"""What the dashboards read, added to the synthetic partnerships of devtools/scale.py
(`seed_scale`), so that `bench_pages` measures the dashboards on a society that looks lived in.

For each synthetic partnership, from its own random stream (`seed`, "history", number):
- its status changes (Transition rows) from the draft to its status, dated between its
  creation and today, so the society dashboard's quarterly trends have a shape;
- the endorsements of its districts, once it got that far;
- once activated: its reporting periods (evaluation.models.ReportingPeriod, quarterly from
  the activation, as evaluation.services.checkins computes them) and a check-in per side and
  period: mostly submitted on time, some late, some drafts left overdue, and for about one
  active partnership in eight nothing submitted for months (it is cooling or dormant);
- a kick-off call in its communications log, and a recent meeting unless it went quiet;
- for running ones, now and then a conflict, some with mediation asked of the coordinator.
Then the health of each active one, as the nightly job computes it
(evaluation.services.health.partnership_health), and the reminders the daily sweeps would
already have sent about its open check-ins (devtools.monitoring_scale's helpers), so that
a reminder sweep over this data has only a day's work. Every district gets its coordinator
(`scale-coordinator-01@scale.invalid` …), as the reminder benchmark's data has.

A partnership's history is written once, with the rest of its records: a partnership that
has status changes is complete, and a second run adds only what is missing.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from devtools import monitoring_scale
from devtools import scale as section_scale
from evaluation.models import CheckIn, MonitoringSettings, PartnershipHealth, ReportingPeriod
from evaluation.services.health import partnership_health
from partnerships.models import CommunicationEntry, Conflict, Endorsement, Participant, Partnership, Status, Transition
from partnerships.models.partnership import RUNNING_STATUSES
from sections.models import DistrictCoordinator, Section

BATCH = section_scale.BATCH
CONFLICT_PREFIX = "Scale conflict: "
# The statuses a partnership went through to reach its own, in order.
_OPENING = [Status.DRAFT, Status.PROPOSED, Status.ACCEPTED, Status.ENDORSED, Status.ACTIVE]
PATHS = {
    Status.DRAFT: _OPENING[:1],
    Status.PROPOSED: _OPENING[:2],
    Status.ACCEPTED: _OPENING[:3],
    Status.ENDORSED: _OPENING[:4],
    Status.ACTIVE: _OPENING,
    Status.SUSPENDED: [*_OPENING, Status.SUSPENDED],
    Status.COMPLETED: [*_OPENING, Status.COMPLETED],
    Status.ENDED: [*_OPENING, Status.ENDED],
    Status.DECLINED: [*_OPENING[:2], Status.DECLINED],
    Status.WITHDRAWN: [*_OPENING[:2], Status.WITHDRAWN],
}
# Days from the previous status to this one: (fewest, most).
STEP_DAYS = {
    Status.PROPOSED: (1, 20), Status.ACCEPTED: (3, 30), Status.ENDORSED: (3, 30), Status.ACTIVE: (1, 30),
    Status.SUSPENDED: (60, 500), Status.COMPLETED: (300, 900), Status.ENDED: (90, 600),
    Status.DECLINED: (3, 40), Status.WITHDRAWN: (5, 60),
}
REASONS = {
    Status.SUSPENDED: "Exams and elections on both sides: a pause.",
    Status.COMPLETED: "All planned activities done.",
    Status.ENDED: "Pressing priorities elsewhere.",
    Status.DECLINED: "We carry enough partnerships this year.",
    Status.WITHDRAWN: "We will first run one joint event.",
}
# How an active partnership's sides report, with weights: the health the nightly job reads.
MOODS = {"steady": 62, "at-risk": 12, "off-track": 5, "overdue": 8, "quiet": 13}
REPORTED_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED)
ENDORSED_STATUSES = (Status.ENDORSED, *REPORTED_STATUSES)


def build(
    *, sections: int, partnerships: int = 0, years: int = 3, seed: int = 1, officers: bool = True,
    progress: Callable[[str], None] | None = None,
) -> section_scale.Report:
    """devtools.scale.build, then the history, reporting, health and conflicts of its partnerships."""
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    with transaction.atomic():
        report = section_scale.build(
            sections=sections, partnerships=partnerships, years=years, seed=seed, officers=officers, progress=progress,
        )
        today = timezone.localdate()
        monitoring_scale._coordinators(today, report)
        say("History, reporting and conflicts of the partnerships …")
        _build_histories(seed, today, report)
        say("Health of the active partnerships …")
        _build_health(today, report)
    report.seconds = time.perf_counter() - started
    return report


def _timeline(rng: random.Random, status: str, created: datetime.datetime, start: datetime.date,
              now: datetime.datetime) -> list[tuple[str, datetime.datetime]]:
    """(status, when) from the draft to `status`, squeezed into the time since `created` when
    the steps would run past now."""
    path = PATHS[status]
    offsets, days = [0.0], 0.0
    for target in path[1:]:
        fewest, most = STEP_DAYS[target]
        if target == Status.ACTIVE:
            # Activated on the planned start when the steps before it leave room.
            days = max(days + rng.randint(fewest, most), (start - created.date()).days)
        else:
            days += rng.randint(fewest, most) + rng.random()
        offsets.append(days)
    room = (now - created).total_seconds() / 86400 - 1
    scale = min(1.0, room / offsets[-1]) if offsets[-1] > 0 and room > 0 else 1.0
    if room <= 0:
        scale = 0.0
    return [(target, created + datetime.timedelta(days=offset * scale, minutes=index))
            for index, (target, offset) in enumerate(zip(path, offsets, strict=True))]


def _build_histories(seed: int, today: datetime.date, report: section_scale.Report) -> None:
    pending = list(
        Partnership.objects.filter(title__startswith=section_scale.PARTNERSHIP_TITLE_PREFIX, transitions__isnull=True)
        .values_list("pk", "title", "status", "created_at", "start_date", "proposed_by_id")
    )
    if not pending:
        return
    settings = MonitoringSettings.current()
    now = timezone.now()
    sides: dict[int, list[tuple[int, int]]] = {}
    for partnership_id, section_id, district_id in (
        Participant.objects.filter(partnership_id__in=[row[0] for row in pending])
        .order_by("pk").values_list("partnership_id", "section_id", "section__district_id")
    ):
        sides.setdefault(partnership_id, []).append((section_id, district_id))
    coordinator_of = dict(
        DistrictCoordinator.objects.open_now().filter(user__email__startswith="scale-coordinator-")
        .values_list("district_id", "user_id")
    )
    transitions, endorsements, conflicts, updated = [], [], [], []
    reporting: list[tuple[int, random.Random, str, datetime.date, datetime.date]] = []
    for pk, title, status, created, start, proposer in pending:
        number = int(title.removeprefix(section_scale.PARTNERSHIP_TITLE_PREFIX))
        rng = section_scale._rng(seed, "history", number)
        steps = _timeline(rng, status, created, start, now)
        previous = ""
        for target, when in steps:
            transitions.append(Transition(
                partnership_id=pk, from_status=previous, to_status=target, actor_id=proposer, at=when,
                reason=REASONS.get(target, ""),
            ))
            previous = target
        moments = dict(steps)
        if status in ENDORSED_STATUSES:
            for district_id in sorted({district for _section, district in sides[pk]}):
                endorsements.append(Endorsement(
                    partnership_id=pk, district_id=district_id, endorsed_by_id=coordinator_of.get(district_id),
                    endorsed_at=moments[Status.ENDORSED], comment="Endorsed.",
                ))
        if status in REPORTED_STATUSES:
            activated = timezone.localdate(moments[Status.ACTIVE])
            closed = timezone.localdate(steps[-1][1]) if status != Status.ACTIVE else today - datetime.timedelta(days=1)
            updated.append(Partnership(pk=pk, schedule_from=activated))
            reporting.append((pk, rng, status, activated, closed))
            if status in RUNNING_STATUSES and (draw := rng.random()) < 0.12:
                raised = moments[Status.ACTIVE] + (now - moments[Status.ACTIVE]) * rng.random()
                section_id = rng.choice(sides[pk])[0]
                if draw < 0.04:
                    conflicts.append(Conflict(
                        partnership_id=pk, raised_by_id=proposer, raised_for_id=section_id, raised_at=raised,
                        description=CONFLICT_PREFIX + "the partner has not answered since its elections.",
                        mediator=Conflict.Mediator.COORDINATOR, status=Conflict.Status.MEDIATING,
                    ))
                elif draw < 0.08:
                    conflicts.append(Conflict(
                        partnership_id=pk, raised_by_id=proposer, raised_for_id=section_id, raised_at=raised,
                        description=CONFLICT_PREFIX + "who pays for the visit's travel.",
                    ))
                else:
                    conflicts.append(Conflict(
                        partnership_id=pk, raised_by_id=proposer, raised_for_id=section_id, raised_at=raised,
                        description=CONFLICT_PREFIX + "the dates of the visit clash with exams.",
                        status=Conflict.Status.RESOLVED, resolution="The visit moved to the holidays.",
                        resolved_at=raised + datetime.timedelta(days=rng.randint(3, 40)),
                    ))
    with section_scale._explicit_timestamps(Transition, "at"):
        Transition.objects.bulk_create(transitions, batch_size=BATCH)
    report.add("status changes", len(transitions))
    with section_scale._explicit_timestamps(Endorsement, "endorsed_at"):
        Endorsement.objects.bulk_create(endorsements, batch_size=BATCH)
    report.add("endorsements", len(endorsements))
    with section_scale._explicit_timestamps(Conflict, "raised_at"):
        Conflict.objects.bulk_create(conflicts, batch_size=BATCH)
    report.add("conflicts", len(conflicts))
    Partnership.objects.bulk_update(updated, ["schedule_from"], batch_size=BATCH)
    _build_reporting(reporting, sides, today, settings, report)


def _build_reporting(
    reporting: list[tuple[int, random.Random, str, datetime.date, datetime.date]],
    sides: dict[int, list[tuple[int, int]]], today: datetime.date, settings: MonitoringSettings,
    report: section_scale.Report,
) -> None:
    """The periods and check-ins of the partnerships that were activated."""
    periods: list[ReportingPeriod] = []
    plans = []
    for pk, rng, status, activated, closed in reporting:
        rows = [
            ReportingPeriod(partnership_id=pk, number=number, starts_on=start, ends_on=end, due_on=due)
            for number, start, end, due in monitoring_scale._periods(activated, closed, settings.report_due_days)
        ]
        periods.extend(rows)
        mood = rng.choices(list(MOODS), weights=list(MOODS.values()))[0] if status == Status.ACTIVE else "steady"
        # A quiet partnership's sides stopped reporting on this day.
        quiet_from = today - datetime.timedelta(days=rng.randint(settings.cooling_days + 10, 420))
        plans.append((rng, status, mood, quiet_from, rows))
    ReportingPeriod.objects.bulk_create(periods, batch_size=BATCH)
    report.add("reporting periods", len(periods))
    # The kick-off call, and for a running partnership that is not quiet a recent one: the
    # first check-in falls due four months after the activation, and without a call in
    # between every young partnership would read as cooling.
    calls = []
    for (pk, _rng, status, activated, _closed), (rng, _status, mood, _quiet, _rows) in zip(reporting, plans, strict=True):
        calls.append(CommunicationEntry(partnership_id=pk, date=activated, channel=CommunicationEntry.Channel.CALL,
                                        participants="Both leads", summary="Kick-off call."))
        if status == Status.ACTIVE and mood != "quiet":
            recent = max(activated, today - datetime.timedelta(days=rng.randint(1, 45)))
            calls.append(CommunicationEntry(partnership_id=pk, date=recent, channel=CommunicationEntry.Channel.MEETING,
                                            participants="Both leads", summary="Monthly meeting."))
    CommunicationEntry.objects.bulk_create(calls, batch_size=BATCH)
    report.add("communications", len(calls))

    sections = {section.pk: section for section in Section.objects.filter(
        pk__in={section_id for rows in sides.values() for section_id, _d in rows}
    ).only("pk", "district")}
    checkins: list[CheckIn] = []
    for rng, status, mood, quiet_from, rows in plans:
        past_due = [period for period in rows if period.due_on < today]
        for period in rows:
            last = bool(past_due) and period is past_due[-1]
            for index, (section_id, _district) in enumerate(sides[period.partnership_id]):
                checkin = CheckIn(period=period, section=sections[section_id], due_on=period.due_on)
                checkins.append(checkin)
                if period.due_on >= today and status in RUNNING_STATUSES:
                    continue  # not due yet
                late = rng.random() < 0.15
                submitted_on = period.due_on + datetime.timedelta(
                    days=rng.randint(1, 40) if late else -rng.randint(0, settings.report_due_days - 1)
                )
                submitted_on = min(max(submitted_on, period.ends_on + datetime.timedelta(days=1)),
                                   today - datetime.timedelta(days=1))
                if status in RUNNING_STATUSES and (
                    (mood == "quiet" and submitted_on >= quiet_from)
                    or (mood == "overdue" and last and index == 0)
                    or (mood == "steady" and rng.random() < 0.005)
                    or (status == Status.SUSPENDED and last and rng.random() < 0.3)
                ):
                    continue  # left as a draft, overdue
                overall = CheckIn.Overall.ON_TRACK
                if last and index == 0 and mood in ("at-risk", "off-track"):
                    overall = mood
                elif rng.random() < 0.03:
                    overall = CheckIn.Overall.AT_RISK
                checkin.state = CheckIn.State.SUBMITTED
                checkin.submitted_at = monitoring_scale.sweep_moment(submitted_on)
                checkin.late = submitted_on > period.due_on
                checkin.overall = overall
                checkin.done = "Synthetic check-in."
                checkin.received_rating = rng.randint(2, 5)
                checkin.communication_rating = rng.randint(2, 5)
    CheckIn.objects.bulk_create(checkins, batch_size=BATCH)
    report.add("check-ins", len(checkins))
    _build_reminders([c for c in checkins if c.state == CheckIn.State.DRAFT and c.due_on < today + datetime.timedelta(
        days=max(settings.offsets, default=0))], today, settings, report)


def _build_reminders(open_checkins: list[CheckIn], today: datetime.date, settings: MonitoringSettings,
                     report: section_scale.Report) -> None:
    """The reminders the sweeps up to yesterday sent about the open check-ins."""
    yesterday = today - datetime.timedelta(days=1)
    monitoring_scale.build_reminders_sent([(checkin, yesterday) for checkin in open_checkins], settings, report)


def _build_health(today: datetime.date, report: section_scale.Report) -> None:
    """The health the nightly job would record today for the active synthetic partnerships
    that have none yet, with its reason: the job's next run finds nothing to change."""
    missing = set(
        Partnership.objects.filter(
            title__startswith=section_scale.PARTNERSHIP_TITLE_PREFIX, status=Status.ACTIVE, health__isnull=True
        ).values_list("pk", flat=True)
    )
    if not missing:
        return
    readings = partnership_health(today=today)
    rows = [
        PartnershipHealth(partnership_id=pk, health=reading.health, reason=reading.reason.stored() if reading.reason else "",
                          since=today, checked_on=today)
        for pk, reading in readings.items() if pk in missing
    ]
    PartnershipHealth.objects.bulk_create(rows, batch_size=BATCH)
    report.add("partnership health", len(rows))
