"""Synthetic monitoring data for the reminder benchmark (`bench_reminders`).

N active partnerships between the scale sections of devtools/scale.py, each reporting
quarterly for about a year: its reporting periods, a check-in per side and period, and
the reminders the earlier sweeps would have sent about them, to the people the sweep's own
rule (evaluation.services.reminders.reminder_recipients) names. Everything is written with
`bulk_create`, never through the services, and carries a recognisable name: titles
`Scale check-in partnership 000001`, leads `scale-lead-000001-a@scale.invalid`, district
coordinators `scale-coordinator-01@scale.invalid`. A second run builds only the
partnerships that are missing; partnership number i is drawn from its own random stream.

The data describes the society on one day, `as_of`, as the sweep of the day before left
it. That day is when the first of these partnerships was built; every partnership starts
a year before it, so later runs find it again and measure the same day's work. On it,
- past check-ins are mostly submitted, the last one or two of each partnership open;
- open check-ins fall due on (nearly) every day of a quarter: in 14, 3 or 0 days (a reminder is
  due), 3 days ago (an overdue notice), 14 days ago or more (a weekly escalation), and
  on days when nothing is due;
- about one partnership in ninety ended a period yesterday, so the sweep extends its schedule,
as a society whose partnerships started on any day of the year would see every day.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from devtools import scale as section_scale
from evaluation.models import CheckIn, MonitoringSettings, Reminder, ReportingPeriod, add_months
from evaluation.services.reminders import due_kinds, reminder_recipients
from partnerships.models import Lead, Participant, Partnership, Status
from partnerships.search import partnership_search_text_refresh
from sections.models import DistrictCoordinator, Officer, Section

TITLE_PREFIX = "Scale check-in partnership "
PARTNERSHIP_TITLE = TITLE_PREFIX + "{:06d}"
LEAD_EMAIL = "scale-lead-{:06d}-{}@scale.invalid"
COORDINATOR_EMAIL = "scale-coordinator-{:02d}@scale.invalid"
BATCH = section_scale.BATCH
CADENCE = Partnership.Cadence.QUARTERLY
# Every sweep of the synthetic history, and the benchmark's, runs at this hour (UTC): the
# same date in every time zone the scale sections use (UTC-8 to UTC+13).
SWEEP_HOUR = 10
# Days from the due date to today that call for work, first: so that even twenty
# partnerships show every kind of reminder, one partnership whose schedule needs a new
# period (29: its period ended yesterday) and the quiet days in between.
FIRST_DUE_OFFSETS = [14, 3, 0, -3, -14, -21, 29, 7, -1, -8, -35, 20, -50]
# Partnership numbers divisible by this have leads; the others fall back to the chair.
WITH_LEADS_EVERY = 3


def sections_for(partnerships: int) -> int:
    """How many scale sections the partnerships are drawn from: each in about four."""
    return max(10, partnerships // 2)


def as_of() -> datetime.date | None:
    """The day the reminder benchmark data describes, or None when there is none yet."""
    start = (
        Partnership.objects.filter(title__startswith=TITLE_PREFIX).values_list("start_date", flat=True).first()
    )
    return start + datetime.timedelta(days=365) if start else None


def sweep_moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(SWEEP_HOUR), tzinfo=datetime.UTC)


def existing_count() -> int:
    return Partnership.objects.filter(title__startswith=TITLE_PREFIX).count()


def _periods(schedule_from: datetime.date, until: datetime.date, due_days: int) -> list[tuple]:
    """(number, starts_on, ends_on, due_on) of the periods starting by `until`, computed as
    evaluation.services.checkins.schedule_extend computes them."""
    periods, number, start = [], 0, schedule_from
    while start <= until:
        end = add_months(start, CADENCE) - datetime.timedelta(days=1)
        periods.append((number, start, end, end + datetime.timedelta(days=due_days)))
        number, start = number + 1, end + datetime.timedelta(days=1)
    return periods


def _shift_by_due_offset(day: datetime.date, due_days: int) -> list[tuple[int, int]]:
    """(due offset, shift) in the order partnerships take them: the shift is how many days
    after the start date the schedule runs from, chosen so that the last period ended by
    yesterday is due `due offset` days from `day`; one shift for every such offset."""
    start = day - datetime.timedelta(days=365)
    shifts: dict[int, int] = {}
    for shift in range(0, 93):
        ended = [p for p in _periods(start + datetime.timedelta(days=shift), day - datetime.timedelta(days=1), due_days)
                 if p[2] < day]
        shifts.setdefault((ended[-1][3] - day).days, shift)
    first = [(offset, shifts[offset]) for offset in FIRST_DUE_OFFSETS if offset in shifts]
    rest = [(offset, shift) for offset, shift in sorted(shifts.items(), key=lambda item: item[1])
            if offset not in FIRST_DUE_OFFSETS]
    return first + rest


def _sections(count: int) -> list[Section]:
    """Scale sections 0..count-1, with only what the check-ins and their recipients need."""
    slugs = [section_scale.SECTION_SLUG.format(n) for n in range(count)]
    by_slug = {
        section.slug: section
        for section in Section.objects.filter(slug__startswith=f"{section_scale.PREFIX}-").only("slug", "district")
    }
    return [by_slug[slug] for slug in slugs]


def _coordinators(day: datetime.date, report: section_scale.Report) -> None:
    """One coordinator for each scale district, so escalations have recipients."""
    User = get_user_model()
    districts = section_scale._districts(report)
    emails = [COORDINATOR_EMAIL.format(n) for n in range(1, len(districts) + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        User(email=email, full_name=f"Scale Coordinator {n:02d}", password=password)
        for n, email in enumerate(emails, start=1) if email not in have
    )
    report.add("users", len(emails) - len(have))
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    held = set(DistrictCoordinator.objects.filter(user_id__in=users.values()).values_list("user_id", "district_id"))
    assignments = [
        DistrictCoordinator(user_id=users[email], district_id=district, start_date=day - datetime.timedelta(days=400))
        for email, district in zip(emails, districts, strict=True)
        if (users[email], district) not in held
    ]
    DistrictCoordinator.objects.bulk_create(assignments)
    report.add("district coordinators", len(assignments))


def _leads(numbers: list[int], day: datetime.date, ids: dict[int, int], sides: dict[int, tuple[Section, Section]],
           report: section_scale.Report) -> None:
    """Leads for every WITH_LEADS_EVERY-th partnership, one per side. Each holds an office in
    its section, as `lead_add` demands and the sweep checks: secretary, an office the sweep
    never falls back to, so a lead does not also hear of the section's other partnerships."""
    User = get_user_model()
    wanted = {
        LEAD_EMAIL.format(number, side): (number, index)
        for number in numbers if number % WITH_LEADS_EVERY == 0
        for index, side in enumerate("ab")
    }
    have = set(User.objects.filter(email__startswith="scale-lead-").values_list("email", flat=True))
    password = make_password(None)
    users = [
        User(email=email, full_name=f"Scale Lead {number:06d}{'AB'[index]}", password=password)
        for email, (number, index) in wanted.items() if email not in have
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    report.add("users", len(users))
    user_ids = dict(User.objects.filter(email__startswith="scale-lead-").values_list("email", "pk"))
    # A lead user outlives a deleted partnership, and keeps its office.
    held = set(
        Officer.objects.filter(user__email__startswith="scale-lead-", role=Officer.Role.SECRETARY, end_date=None)
        .values_list("user_id", "section_id")
    )
    offices = [
        Officer(user_id=user_ids[email], section_id=sides[number][index].pk, role=Officer.Role.SECRETARY,
                start_date=day - datetime.timedelta(days=400))
        for email, (number, index) in wanted.items()
        if (user_ids[email], sides[number][index].pk) not in held
    ]
    Officer.objects.bulk_create(offices, batch_size=BATCH)
    report.add("officers", len(offices))
    leads = [
        Lead(partnership_id=ids[number], section_id=sides[number][index].pk, user_id=user_ids[email])
        for email, (number, index) in wanted.items()
    ]
    Lead.objects.bulk_create(leads, batch_size=BATCH)
    report.add("leads", len(leads))


def _sent_before(due_on: datetime.date, last_day: datetime.date,
                 settings: MonitoringSettings) -> dict[tuple[str, int], datetime.date]:
    """The reminders about a check-in that the daily sweeps up to `last_day` sent: (kind,
    occurrence) → the day it went out. Only the days on which what is due changes matter."""
    days = [due_on - datetime.timedelta(days=offset) for offset in settings.offsets]
    days.append(due_on + datetime.timedelta(days=settings.overdue_notice_days))
    escalation = due_on + datetime.timedelta(days=settings.escalation_days)
    while escalation <= last_day:
        days.append(escalation)
        escalation += datetime.timedelta(days=settings.escalation_repeat_days)
    sent: dict[tuple[str, int], datetime.date] = {}
    for day in sorted(day for day in days if day <= last_day):
        for kind_occurrence in due_kinds(due_on, day, settings):
            sent.setdefault(kind_occurrence, day)
    return sent


def build(*, partnerships: int, seed: int = 1, progress: Callable[[str], None] | None = None) -> section_scale.Report:
    """Make sure reminder-benchmark partnerships 0..partnerships-1 exist, with all they need."""
    if partnerships < 0:
        raise ValueError("The number of partnerships must not be negative.")
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    with transaction.atomic():
        sections = sections_for(partnerships)
        say(f"Sections: ensuring {sections} …")
        report = section_scale.build(sections=sections, seed=seed)
        day = as_of() or timezone.localdate()
        _coordinators(day, report)
        titles = {PARTNERSHIP_TITLE.format(n): n for n in range(partnerships)}
        have = set(Partnership.objects.filter(title__startswith=TITLE_PREFIX).values_list("title", flat=True))
        numbers = [number for title, number in titles.items() if title not in have]
        if numbers:
            say(f"Partnerships: building {len(numbers)} …")
            _build_partnerships(numbers, day, seed, _sections(sections), report)
    report.seconds = time.perf_counter() - started
    return report


def _build_partnerships(numbers: list[int], day: datetime.date, seed: int, sections: list[Section],
                        report: section_scale.Report) -> None:
    settings = MonitoringSettings.current()
    start_date = day - datetime.timedelta(days=365)
    yesterday = day - datetime.timedelta(days=1)
    by_offset = _shift_by_due_offset(day, settings.report_due_days)
    plans: dict[int, tuple] = {}
    new = []
    for number in numbers:
        rng = section_scale._rng(seed, "checkin-partnership", number)
        a = rng.randrange(len(sections))
        b = rng.randrange(len(sections) - 1)
        b = b + 1 if b >= a else b
        offset, shift = by_offset[number % len(by_offset)]
        schedule_from = start_date + datetime.timedelta(days=shift)
        plans[number] = (rng, a, b, offset, schedule_from)
        new.append(Partnership(
            title=PARTNERSHIP_TITLE.format(number), purpose="Synthetic partnership for the reminder benchmark.",
            status=Status.ACTIVE, start_date=start_date,
            planned_end_date=start_date + datetime.timedelta(days=3 * 365),
            proposing_section_id=sections[a].pk, cadence=CADENCE, schedule_from=schedule_from,
        ))
    Partnership.objects.bulk_create(new, batch_size=BATCH)
    report.add("partnerships", len(new))
    ids = {
        int(title.removeprefix(TITLE_PREFIX)): pk
        for title, pk in Partnership.objects.filter(title__startswith=TITLE_PREFIX).values_list("title", "pk")
    }
    sides = {number: (sections[a], sections[b]) for number, (_rng, a, b, _o, _s) in plans.items()}
    Participant.objects.bulk_create(
        (
            Participant(partnership_id=ids[number], section_id=section.pk, response=Participant.Response.ACCEPTED,
                        gives="Speakers and mentoring", gains="Student hosts")
            for number in numbers for section in sides[number]
        ),
        batch_size=BATCH,
    )
    report.add("participants", 2 * len(numbers))
    # bulk_create sends no signal: the list's search text is written here, in one UPDATE.
    partnership_search_text_refresh(partnerships=Partnership.objects.filter(pk__in=[ids[n] for n in numbers]))
    _leads(numbers, day, ids, sides, report)

    periods = []
    for number in numbers:
        periods.extend(
            ReportingPeriod(partnership_id=ids[number], number=n, starts_on=start, ends_on=end, due_on=due)
            for n, start, end, due in _periods(plans[number][4], yesterday, settings.report_due_days)
        )
    ReportingPeriod.objects.bulk_create(periods, batch_size=BATCH)
    report.add("reporting periods", len(periods))
    new_ids = {ids[number] for number in numbers}
    periods_of: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in ReportingPeriod.objects.filter(partnership__title__startswith=TITLE_PREFIX).only(
        "partnership", "number", "ends_on", "due_on"
    ).order_by("number"):
        if period.partnership_id in new_ids:
            periods_of[period.partnership_id].append(period)

    # Each check-in with the last day a sweep saw it open: the day before its submission, or yesterday.
    checkins: list[tuple[CheckIn, datetime.date]] = []
    for number in numbers:
        rng, _a, _b, offset, _from = plans[number]
        rows = periods_of[ids[number]]
        ended = [period for period in rows if period.ends_on < day]
        target = len(ended) - 1  # the last period ended: due `offset` days from `day`
        # The first partnerships of the order keep both sides open, so that small runs have work.
        forced = number < len(FIRST_DUE_OFFSETS)
        if offset > 0:
            open_chance = 0.9
        elif offset > -settings.escalation_days:
            open_chance = 0.6
        else:
            open_chance = 0.3
        long_overdue = not forced and rng.random() < 0.1
        for index, section in enumerate(sides[number]):
            for position, period in enumerate(rows):
                if period.ends_on >= day:
                    is_open = True  # the period still runs: its check-in is not due yet
                elif position == target:
                    is_open = forced or rng.random() < open_chance
                else:
                    is_open = long_overdue and index == 0 and position == target - 1
                # With the period and section in memory, the recipients are found without a query per check-in.
                checkin = CheckIn(period=period, section=section, due_on=period.due_on)
                if is_open:
                    last_day = yesterday
                else:
                    submitted_on = min(
                        period.ends_on + datetime.timedelta(days=rng.randint(1, settings.report_due_days + 5)),
                        yesterday,
                    )
                    last_day = submitted_on  # the day's sweep runs before the submission
                    checkin.state = CheckIn.State.SUBMITTED
                    checkin.submitted_at = sweep_moment(submitted_on) + datetime.timedelta(hours=rng.randint(1, 8))
                    checkin.late = submitted_on > period.due_on
                    checkin.overall = rng.choices(
                        [CheckIn.Overall.ON_TRACK, CheckIn.Overall.AT_RISK, CheckIn.Overall.OFF_TRACK], [7, 2, 1]
                    )[0]
                    checkin.done = "Synthetic check-in."
                    checkin.received_rating = rng.randint(2, 5)
                    checkin.communication_rating = rng.randint(2, 5)
                checkins.append((checkin, last_day))
    CheckIn.objects.bulk_create([checkin for checkin, _last_day in checkins], batch_size=BATCH)
    report.add("check-ins", len(checkins))
    build_reminders_sent(checkins, settings, report)


def build_reminders_sent(
    checkins: list[tuple[CheckIn, datetime.date]], settings: MonitoringSettings, report: section_scale.Report
) -> None:
    """The reminders the sweeps up to each check-in's last day sent about it, written as
    sent: to whom the sweep itself would have sent them, by the sweep's own rule."""
    if not checkins:
        return
    officers, coordinators = reminder_recipients([checkin for checkin, _last_day in checkins])
    reminders = []
    for checkin, last_day in checkins:
        for (kind, occurrence), sent_on in _sent_before(checkin.due_on, last_day, settings).items():
            if kind == Reminder.Kind.ESCALATION:
                recipients = coordinators.get(checkin.section.district_id, set())
            else:
                recipients = officers.get((checkin.period.partnership_id, checkin.section_id), set())
            reminders.extend(
                Reminder(checkin=checkin, kind=kind, occurrence=occurrence, recipient_id=user_id,
                         sent_at=sweep_moment(sent_on))
                for user_id in recipients
            )
    Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    report.add("reminders sent before", len(reminders))


def reset(day: datetime.date) -> int:
    """Undo what sweeps on or after `day` did to the benchmark data (the reminders they
    created, the periods they added), so the next sweep has that day's work again."""
    start = sweep_moment(day).replace(hour=0)
    reminders, _ = Reminder.objects.filter(checkin__period__partnership__title__startswith=TITLE_PREFIX).filter(
        Q(sent_at__isnull=True) | Q(sent_at__gte=start)
    ).delete()
    periods, _ = ReportingPeriod.objects.filter(
        partnership__title__startswith=TITLE_PREFIX, starts_on__gte=day
    ).delete()
    return reminders + periods


def only_first(count: int) -> int:
    """Suspend the benchmark partnerships from number `count` on, so a sweep sees `count`
    of them; meant for a transaction that is rolled back afterwards."""
    return Partnership.objects.filter(
        title__startswith=TITLE_PREFIX, title__gte=PARTNERSHIP_TITLE.format(count), status=Status.ACTIVE
    ).update(status=Status.SUSPENDED)
