"""The reminder sweep: who must hear about which check-in today, each message exactly once.

`send_due_reminders` is what the periodic task and `manage.py send_reminders` run. It
1. extends the reporting schedules of active partnerships,
2. works out, for every open check-in, which reminder is due today in the section's own
   time zone — the latest reminder before the due date, an overdue notice, or a weekly
   escalation to the district's coordinators — and inserts one row per recipient; the
   unique constraint on (check-in, kind, recipient, occurrence) turns a second insert,
   from a re-run, a retry or another worker, into nothing;
3. claims the unsent rows with one conditional UPDATE, so two workers never send the
   same row, and sends them; a failed send leaves its row unsent with a later retry
   time (exponential backoff) and does not stop the others.
The number of queries does not grow with the number of check-ins.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Lead, Partnership, Status
from sections.models import Officer
from sections.selectors import coordinators_of_districts

from ..models import CheckIn, MonitoringSettings, Reminder
from .checkins import periods_make_due

logger = logging.getLogger(__name__)

CLAIM_FOR = datetime.timedelta(minutes=10)
# Stop sending this long before the claim lapses (the task's soft time limit is shorter still).
SEND_MARGIN = datetime.timedelta(minutes=1)
MAX_BACKOFF = datetime.timedelta(hours=6)
# After this many failed sends a reminder is given up (its error stays in the admin).
MAX_ATTEMPTS = 8


@dataclass
class SweepResult:
    created: int = 0
    sent: int = 0
    failed: int = 0


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
    open_checkins = open_checkins_due(timezone.localdate(now), settings)
    checkins = list(open_checkins.select_related("section", "period"))
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
    if not rows:
        return 0
    # Counted among the open check-ins' reminders only (the unique index starts with the
    # check-in), not over the whole table, which grows for years.
    mine = Reminder.objects.filter(checkin__in=open_checkins.values("pk"))
    before = mine.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return mine.count() - before


def _message(reminder: Reminder, now: datetime.datetime) -> EmailMultiAlternatives:
    checkin = reminder.checkin
    partnership = checkin.period.partnership
    url = django_settings.SITE_URL + reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": checkin.pk})
    context = {
        "reminder": reminder, "checkin": checkin, "partnership": partnership, "url": url,
        "recipient": reminder.recipient, "society_name": django_settings.SOCIETY_NAME,
        "days_overdue": (timezone.localdate(now, timezone=checkin.section.time_zone) - checkin.due_on).days,
    }
    subjects = {
        Reminder.Kind.BEFORE: _("Check-in due on %(date)s"),
        Reminder.Kind.OVERDUE: _("Check-in overdue since %(date)s"),
        Reminder.Kind.ESCALATION: _("Overdue check-in needs your attention (due %(date)s)"),
    }
    message = EmailMultiAlternatives(
        subject=f"{subjects[reminder.kind] % {'date': checkin.due_on}}: {partnership.title}",
        body=render_to_string("evaluation/email/reminder.txt", context),
        to=[reminder.recipient.email],
    )
    message.attach_alternative(render_to_string("evaluation/email/reminder.html", context), "text/html")
    return message


def _record_failure(reminders: list[Reminder], token: uuid.UUID, now: datetime.datetime, error: str) -> None:
    for reminder in reminders:
        backoff = min(datetime.timedelta(minutes=5) * 2**reminder.attempts, MAX_BACKOFF)
        Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(
            attempts=reminder.attempts + 1, next_attempt_at=now + backoff, claimed_until=None, last_error=error[:300]
        )


def deliver_pending(now: datetime.datetime) -> tuple[int, int]:
    """Claim the unsent reminders that are due and send them; (sent, failed).

    Each reminder is marked sent the moment its message has gone, and nothing is sent once
    this worker's claim is about to lapse: a slow send or a worker killed mid-sweep cannot
    make another worker send the same reminder again."""
    token = uuid.uuid4()
    claim_expires = timezone.now() + CLAIM_FOR
    ready = (
        Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())
    # A reminder waiting for a retry is dropped once its check-in is submitted or its partnership
    # is no longer active. A subquery on the other tables, not a join: the UPDATE then stays one
    # statement on this table, whose WHERE PostgreSQL re-checks on a row another worker just claimed.
    still_open = CheckIn.objects.filter(state=CheckIn.State.DRAFT, period__partnership__status=Status.ACTIVE)
    # One conditional UPDATE: a row another worker claimed a moment ago no longer matches.
    Reminder.objects.filter(ready & unclaimed, checkin__in=still_open.values("pk")).update(
        claim_token=token, claimed_until=claim_expires
    )
    claimed = list(
        Reminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("recipient", "checkin__section", "checkin__period__partnership")
    )
    if not claimed:
        return 0, 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - the mail server is down: every claimed row waits for a retry
        logger.warning("Reminders not sent, the mail server did not answer: %s", exc)
        _record_failure(claimed, token, now, str(exc))
        return 0, len(claimed)
    sent = failed = 0
    try:
        for index, reminder in enumerate(claimed):
            if timezone.now() >= claim_expires - SEND_MARGIN:
                # The claim is about to lapse: leave the rest to the next sweep rather than
                # race another worker that may claim them then.
                rest = [r.pk for r in claimed[index:]]
                Reminder.objects.filter(pk__in=rest, claim_token=token).update(claimed_until=None)
                break
            try:
                connection.send_messages([_message(reminder, now)])
            except Exception as exc:  # noqa: BLE001 - one bad address or outage must not stop the rest
                logger.warning("Reminder %s not sent: %s", reminder.pk, exc)
                _record_failure([reminder], token, now, str(exc))
                failed += 1
            else:
                # Marked the moment it has gone: one UPDATE per message sent.
                Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(sent_at=now, claimed_until=None)
                sent += 1
    finally:
        connection.close()
    return sent, failed


def send_due_reminders(now: datetime.datetime | None = None) -> SweepResult:
    """One sweep: extend schedules, create the reminders due, send what is pending."""
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
    sent, failed = deliver_pending(now)
    return SweepResult(created=created, sent=sent, failed=failed)
