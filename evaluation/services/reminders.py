"""The reminder sweep: who must hear about which check-in today, each message exactly once.

`send_due_reminders` is what the periodic task and `manage.py send_reminders` run. It
1. extends the reporting schedules of active partnerships,
2. works out, for every open check-in, which reminder is due today in the section's own
   time zone — the latest reminder before the due date, an overdue notice, or a weekly
   escalation to the district's coordinators — and inserts one row per recipient; the
   unique constraint on (check-in, kind, recipient, occurrence) turns a second insert,
   from a re-run, a retry or another worker, into nothing, and the sweep counts only the
   rows its own INSERT added;
3. locks the unsent rows (skipping those another sweep holds) and, in the same transaction,
   queues one message for each whose recipient still answers for the section (in office,
   account active) through the mail path (`twinning.mail.send`) and marks it
   sent, so each reminder becomes exactly one stored message; delivering it, and retrying
   it while the mail server fails, is the mail path's job;
4. offers a mid-term review to each lead of an active partnership past the midpoint of its
   plan that has none yet: one MidtermOffer per lead (a unique constraint again), queued
   to the mail path the same locked way.
Besides one INSERT per message queued, the number of queries does not grow with the
number of check-ins.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Lead, Partnership, Status
from partnerships.selectors import leads_in_office, leads_in_office_queryset
from sections.models import Officer
from sections.selectors import coordinators_of_districts
from twinning import mail
from twinning.db import insert_new, update_each

from ..models import CheckIn, Evaluation, MidtermOffer, MonitoringSettings, Reminder
from .checkins import periods_make_due
from .closing import evaluation_url, midpoint, midpoint_of


@dataclass
class SweepResult:
    created: int = 0
    # Reminders handed to the mail path, which delivers and retries them.
    sent: int = 0
    # Mid-term review offers handed to the mail path.
    offers_sent: int = 0


def due_kinds(due_on: datetime.date, today: datetime.date, settings: MonitoringSettings) -> list[tuple[str, int]]:
    """The reminders a check-in due on `due_on` calls for on `today`: (kind, occurrence).

    Before the due date only the latest threshold passed counts, so a sweep that missed a
    day does not send two reminders at once."""
    days_left = (due_on - today).days
    if days_left >= 0:
        passed = [offset for offset in settings.offsets if offset >= days_left]
        return [(Reminder.Kind.BEFORE, min(passed))] if passed else []
    overdue = -days_left
    if overdue >= settings.escalation_days:
        week = (overdue - settings.escalation_days) // settings.escalation_repeat_days
        return [(Reminder.Kind.ESCALATION, week)]
    if overdue >= settings.overdue_notice_days:
        return [(Reminder.Kind.OVERDUE, 0)]
    return []


def next_reminder_on(due_on: datetime.date, today: datetime.date, settings: MonitoringSettings) -> datetime.date:
    """The first day after `today` on which `due_kinds` calls for a reminder it did not call
    for on `today`: the next offset before the due date, the overdue notice, or the next
    weekly escalation (which always comes)."""
    days = datetime.timedelta
    candidates = [due_on - days(offset) for offset in settings.offsets]
    if settings.overdue_notice_days < settings.escalation_days:
        candidates.append(due_on + days(settings.overdue_notice_days))
    first_escalation = due_on + days(settings.escalation_days)
    weeks_gone = max(0, (today - first_escalation).days // settings.escalation_repeat_days + 1)
    candidates.append(first_escalation + days(weeks_gone * settings.escalation_repeat_days))
    return min(day for day in candidates if day > today)


def open_checkins_due(today: datetime.date, settings: MonitoringSettings):
    """The check-ins a sweep considers: open, in an active partnership, due by the horizon."""
    # A day of slack either side: each section's own date may differ from the server's.
    horizon = today + datetime.timedelta(days=max(settings.offsets, default=0) + 1)
    return CheckIn.objects.filter(
        state=CheckIn.State.DRAFT, due_on__lte=horizon, period__partnership__status=Status.ACTIVE
    )


def reminder_recipients(checkins: list[CheckIn]) -> tuple[dict, dict]:
    """Who hears of each check-in: (partnership, section) → leads (or the section's twinning
    lead, then its chair); district → its coordinators (or the society admins)."""
    partnership_ids = {c.period.partnership_id for c in checkins}
    section_ids = {c.section_id for c in checkins}
    district_ids = {c.section.district_id for c in checkins}
    # A lead whose office has ended no longer speaks for the section: the fallback does.
    in_office = set(
        Officer.objects.open_now().filter(section_id__in=section_ids).values_list("section_id", "user_id")
    )
    leads = defaultdict(set)
    for partnership_id, section_id, user_id in Lead.objects.filter(
        partnership_id__in=partnership_ids, user__is_active=True
    ).values_list("partnership_id", "section_id", "user_id"):
        if (section_id, user_id) in in_office:
            leads[(partnership_id, section_id)].add(user_id)
    fallback = {}
    for role in (Officer.Role.CHAIR, Officer.Role.TWINNING_LEAD):  # later roles win
        by_section = defaultdict(set)
        for section_id, user_id in Officer.objects.open_now().filter(
            section_id__in=section_ids, role=role, user__is_active=True
        ).values_list("section_id", "user_id"):
            by_section[section_id].add(user_id)
        fallback.update(by_section)
    officers = {
        (c.period.partnership_id, c.section_id): leads.get((c.period.partnership_id, c.section_id))
        or fallback.get(c.section_id, set())
        for c in checkins
    }
    coordinators = {
        district_id: {user.pk for user in users}
        for district_id, users in coordinators_of_districts(district_ids).items()
    }
    return officers, coordinators


def create_due_reminders(now: datetime.datetime, settings: MonitoringSettings) -> int:
    """Insert the reminders due now, each once (the unique constraint); how many this call inserted."""
    # Only the check-ins whose next reminder's day has begun where the section is, and those
    # no sweep has looked at yet.
    open_checkins = open_checkins_due(timezone.localdate(now), settings).filter(
        Q(next_reminder_at__isnull=True) | Q(next_reminder_at__lte=now)
    )
    checkins = list(open_checkins.select_related("section", "period"))
    if not checkins:
        return 0
    officers, coordinators = reminder_recipients(checkins)
    rows = []
    for checkin in checkins:
        local_today = timezone.localdate(now, timezone=checkin.section.time_zone)
        for kind, occurrence in due_kinds(checkin.due_on, local_today, settings):
            if kind == Reminder.Kind.ESCALATION:
                people = coordinators.get(checkin.section.district_id, set())
            else:
                people = officers.get((checkin.period.partnership_id, checkin.section_id), set())
            rows.extend(
                Reminder(checkin=checkin, kind=kind, recipient_id=user_id, occurrence=occurrence)
                for user_id in people
            )
        next_day = next_reminder_on(checkin.due_on, local_today, settings)
        checkin.next_reminder_at = datetime.datetime.combine(next_day, datetime.time(), tzinfo=checkin.section.time_zone)
    # What this sweep inserted, not what the table gained meanwhile: another worker's sweep
    # inserts the same reminders at the same moment, and each must report only its own.
    rows.sort(key=lambda row: (row.checkin_id, row.kind, row.occurrence, row.recipient_id))
    with transaction.atomic():
        inserted = len(insert_new(rows))
        # Two sweeps at once work out the same moments: whichever writes last, writes the same.
        update_each(checkins, "next_reminder_at")
    return inserted


def _context(reminder: Reminder, now: datetime.datetime) -> dict:
    checkin = reminder.checkin
    partnership = checkin.period.partnership
    return {
        "reminder": reminder,
        "checkin": checkin,
        "partnership": partnership,
        "url": mail.absolute_url(
            reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": checkin.pk})
        ),
        "days_overdue": (timezone.localdate(now, timezone=checkin.section.time_zone) - checkin.due_on).days,
    }


def _still_answering(reminders: list[Reminder]) -> list[Reminder]:
    """Of these locked, unsent reminders, those whose recipient still answers for the check-in
    today; the others are dropped. A reminder is created and queued by the same sweep, but
    one left unsent (a sweep that stopped between the two) may wait while an office ends or
    an account is closed, and only people who still answer for a section hear of it."""
    officers = {r.checkin.section_id for r in reminders if r.kind != Reminder.Kind.ESCALATION}
    districts = {r.checkin.section.district_id for r in reminders if r.kind == Reminder.Kind.ESCALATION}
    in_office = set(
        Officer.objects.open_now().filter(section_id__in=officers, user__is_active=True).values_list(
            "section_id", "user_id"
        )
    ) if officers else set()
    coordinators = coordinators_of_districts(districts) if districts else {}
    keep, drop = [], []
    for reminder in reminders:
        if reminder.kind == Reminder.Kind.ESCALATION:
            answers = reminder.recipient in coordinators.get(reminder.checkin.section.district_id, ())
        else:
            answers = (reminder.checkin.section_id, reminder.recipient_id) in in_office
        (keep if answers else drop).append(reminder)
    if drop:
        Reminder.objects.filter(pk__in=[reminder.pk for reminder in drop]).delete()
    return keep


def queue_pending(now: datetime.datetime) -> int:
    """Queue one message for each unsent reminder of a still open check-in; how many.

    The rows are locked, and those another sweep holds are skipped (it queues them): the
    message is stored and the reminder marked sent in one transaction, so a reminder
    becomes exactly one message whichever worker, retry or crash comes first."""
    # A reminder left unsent is dropped once its check-in is submitted or its partnership is
    # no longer active. A subquery, not a join, so only the reminders' rows are locked.
    still_open = CheckIn.objects.filter(state=CheckIn.State.DRAFT, period__partnership__status=Status.ACTIVE)
    with transaction.atomic():
        pending = list(
            Reminder.objects.filter(sent_at__isnull=True, checkin__in=still_open.values("pk"))
            .select_related("recipient", "checkin__section", "checkin__period__partnership")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        pending = _still_answering(pending)
        for reminder in pending:
            # None when the recipient hears of it in the daily summary or the inbox.
            reminder.mail = next(iter(mail.send(
                "evaluation/email/reminder", to=[reminder.recipient], context=_context(reminder, now)
            )), None)
            reminder.sent_at = now
        if pending:
            Reminder.objects.bulk_update(pending, ["sent_at", "mail"])
    return len(pending)


def midterm_due(today: datetime.date):
    """Active partnerships not yet at the end of their plan, with no mid-term review started
    (`create_midterm_offers` keeps those past its midpoint)."""
    started = Evaluation.objects.filter(kind=Evaluation.Kind.MIDTERM).values("partnership_id")
    return Partnership.objects.filter(
        status=Status.ACTIVE, start_date__lt=today, planned_end_date__gt=today
    ).exclude(pk__in=started)


def create_midterm_offers(today: datetime.date) -> None:
    """One offer per lead in office of each partnership that reached its midpoint; a second
    insert, from a re-run or another worker, is nothing (the unique constraint). Two queries
    whatever the number of partnerships: their dates, then the leads not yet offered."""
    ids = [
        pk for pk, start_date, planned_end_date in midterm_due(today).values_list("pk", "start_date", "planned_end_date")
        if midpoint(start_date, planned_end_date) <= today
    ]
    if not ids:
        return
    offered = MidtermOffer.objects.filter(partnership_id=OuterRef("partnership_id"), recipient_id=OuterRef("user_id"))
    rows = (
        leads_in_office_queryset()
        .filter(partnership_id__in=ids)
        .exclude(Exists(offered))
        .values_list("partnership_id", "user_id")
        .order_by("partnership_id", "user_id")
        .distinct()
    )
    MidtermOffer.objects.bulk_create(
        [MidtermOffer(partnership_id=partnership_id, recipient_id=user_id) for partnership_id, user_id in rows],
        ignore_conflicts=True,
    )


def queue_midterm_offers(now: datetime.datetime) -> int:
    """Queue one message for each unsent offer whose partnership still wants a review; how
    many. Locked as `queue_pending` locks reminders: an offer becomes exactly one message."""
    still_due = midterm_due(timezone.localdate(now))
    with transaction.atomic():
        pending = list(
            MidtermOffer.objects.filter(sent_at__isnull=True, partnership__in=still_due.values("pk"))
            .select_related("recipient", "partnership")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        # As for reminders: an offer left unsent goes only to a lead still in office.
        leads = {
            (lead.partnership_id, lead.user_id)
            for lead in leads_in_office(partnership_ids={offer.partnership_id for offer in pending})
        } if pending else set()
        gone = [offer.pk for offer in pending if (offer.partnership_id, offer.recipient_id) not in leads]
        if gone:
            MidtermOffer.objects.filter(pk__in=gone).delete()
        pending = [offer for offer in pending if offer.pk not in gone]
        for offer in pending:
            partnership = offer.partnership
            offer.mail = next(iter(mail.send(
                "evaluation/email/midterm_offer",
                to=[offer.recipient],
                context={
                    "partnership": partnership,
                    "midpoint": midpoint_of(partnership),
                    "url": mail.absolute_url(evaluation_url(partnership, Evaluation.Kind.MIDTERM)),
                },
            )), None)
            offer.sent_at = now
        if pending:
            MidtermOffer.objects.bulk_update(pending, ["sent_at", "mail"])
    return len(pending)


def send_due_reminders(now: datetime.datetime | None = None) -> SweepResult:
    """One sweep: extend schedules, create the reminders due, queue their messages."""
    now = now or timezone.now()
    settings = MonitoringSettings.current()
    today = timezone.localdate(now)
    # Only partnerships whose last period has ended need a new one today.
    behind = (
        Partnership.objects.filter(status=Status.ACTIVE, schedule_from__isnull=False)
        .annotate(last_end=Max("periods__ends_on"))
        .filter(Q(last_end__isnull=True) | Q(last_end__lt=today))
    )
    periods_make_due(partnerships=Partnership.objects.filter(pk__in=behind.values("pk")), today=today, settings=settings)
    created = create_due_reminders(now, settings)
    sent = queue_pending(now)
    create_midterm_offers(today)
    return SweepResult(created=created, sent=sent, offers_sent=queue_midterm_offers(now))
