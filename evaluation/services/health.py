"""A partnership's health, and the nightly job that records its changes and announces each once.

Health is derived, for every active partnership at once, from what its sides report and
from how long it has been quiet. Worst first, the first that applies wins:
- dormant: nothing happened for `MonitoringSettings.dormant_days`;
- cooling: nothing happened for `cooling_days`;
- off track: a side's latest submitted check-in says off track;
- at risk: a side's latest submitted check-in says at risk, or a check-in is overdue;
- on track: otherwise.
"Something happened" is a submitted check-in, a communications log entry (by the date
of the meeting or call), a change to the work plan (its simple-history rows), or the
activation or last resumption. Quiet-ness wins over the latest reports: a partnership
quiet for two months is cooling whatever its last check-in said, because that report is
stale and the silence is the news. Dates are the server's (UTC) days, except a check-in's
due date, which passes in its section's time zone, as the reminders judge it.

`record_health_changes` compares with the recorded `PartnershipHealth` and moves each
row with a conditional UPDATE from the health it read; only the worker whose UPDATE
changed the row records the `HealthChange` and tells the leads and coordinators, so a
re-run, a retry or a second worker announces nothing twice. A partnership's health
starts on track: its first recording as anything else is a change from on track and is
announced like any other (an active partnership going unwatched until the first night
is exactly what coordinators need to hear about); a first recording on track is silent.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerships.models import CommunicationEntry, Partnership, Status
from partnerships.notifications import recipients as partnership_recipients
from partnerships.selectors import HISTORY_KINDS, leads_in_office
from twinning import mail

from ..models import CheckIn, Health, HealthChange, MonitoringSettings, PartnershipHealth
from ..selectors import local_today

# Worst first: the order the digest lists partnerships in.
SEVERITY = (Health.DORMANT, Health.COOLING, Health.OFF_TRACK, Health.AT_RISK, Health.ON_TRACK)


@dataclass(frozen=True)
class Reason:
    """Why a partnership has its health, in the words of whoever reads it: recorded as data
    (`stored`), written in the language of the page or the mail that shows it (`str`), as
    the nightly job runs in no one's language."""

    kind: str  # "quiet", "off-track", "at-risk" or "overdue"
    days: int = 0
    date: datetime.date | None = None
    sections: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "quiet":
            return _("Nothing recorded for %(days)d days (since %(date)s): no check-in, communication "
                     "or change to the plan.") % {"days": self.days, "date": date_format(self.date)}
        if self.kind == "overdue":
            return _("A check-in is overdue (due %(date)s).") % {"date": date_format(self.date)}
        if self.kind == "off-track":
            return _("%(sections)s reported off track.") % {"sections": ", ".join(self.sections)}
        return _("%(sections)s reported at risk.") % {"sections": ", ".join(self.sections)}

    def stored(self) -> str:
        return json.dumps({"kind": self.kind, "days": self.days,
                           "date": self.date.isoformat() if self.date else None, "sections": list(self.sections)})


def reason_words(stored: str) -> str:
    """A recorded reason in the current language. One recorded before reasons were data is
    shown as it was written, until the next nightly run records it again."""
    if not stored.startswith("{"):
        return stored
    try:
        data = json.loads(stored)
        day = datetime.date.fromisoformat(data["date"]) if data.get("date") else None
        return str(Reason(kind=data["kind"], days=data.get("days", 0), date=day, sections=tuple(data.get("sections", ()))))
    except (ValueError, KeyError, TypeError):
        return stored


@dataclass(frozen=True)
class Reading:
    health: str
    reason: Reason | str  # "" when on track
    quiet_since: datetime.date


def _latest(dates: dict[int, datetime.date], rows) -> None:
    for partnership_id, day in rows:
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day)
        if day is not None and (partnership_id not in dates or day > dates[partnership_id]):
            dates[partnership_id] = day


def noon_of(day: datetime.date) -> datetime.datetime:
    """A moment on `day` (UTC) for a caller that names only the day: the same date in every
    zone within 12 hours of UTC."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def day_and_moment(today: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    """A nightly job's UTC day and the moment it judges "overdue" at in each section's zone:
    now, or noon (UTC) of the day a caller names."""
    if today is None:
        moment = timezone.now()
        return timezone.localdate(moment, timezone=datetime.UTC), moment
    return today, noon_of(today)


def overdue_checkins(moment: datetime.datetime) -> list[CheckIn]:
    """The unsubmitted check-ins of active partnerships whose due date has passed at `moment`
    in their section's time zone, as the reminders judge it: a check-in due on the 30th is
    overdue on the 1st in Lima, when it may still be the 30th in UTC. With the section read."""
    # No zone is more than 14 hours ahead of UTC: nothing due after that date can be overdue.
    latest = (moment + datetime.timedelta(hours=14)).date()
    candidates = (
        CheckIn.objects.filter(state=CheckIn.State.DRAFT, due_on__lt=latest, period__partnership__status=Status.ACTIVE)
        .select_related("section", "period__partnership").order_by("due_on", "section__name", "pk")
    )
    return [checkin for checkin in candidates if checkin.due_on < local_today(checkin, moment)]


def partnership_health(
    *, today: datetime.date, settings: MonitoringSettings | None = None, moment: datetime.datetime | None = None
) -> dict[int, Reading]:
    """The health of every active partnership on `today` (at `moment`, by default noon of it in
    UTC), by id, in a fixed number of queries."""
    settings = settings or MonitoringSettings.current()
    active = list(Partnership.objects.filter(status=Status.ACTIVE).values_list("pk", "schedule_from"))
    last_event: dict[int, datetime.date] = {}
    _latest(last_event, active)

    submitted = CheckIn.objects.filter(state=CheckIn.State.SUBMITTED, period__partnership__status=Status.ACTIVE)
    _latest(last_event, submitted.values("period__partnership_id").annotate(last=Max("submitted_at"))
            .values_list("period__partnership_id", "last"))
    _latest(last_event, CommunicationEntry.objects.filter(partnership__status=Status.ACTIVE)
            .values("partnership_id").annotate(last=Max("date")).values_list("partnership_id", "last"))
    for model, _label in HISTORY_KINDS:
        _latest(last_event, model.history.filter(partnership__status=Status.ACTIVE)
                .values("partnership_id").annotate(last=Max("history_date")).values_list("partnership_id", "last"))

    # Each side's latest report: the check-in of its most recent period that it submitted.
    latest_reports = (
        submitted.annotate(rank=Window(
            RowNumber(),
            partition_by=[F("period__partnership_id"), F("section_id")],
            order_by=[F("period__number").desc()],
        ))
        .filter(rank=1)
        .order_by("section__name")
        .values_list("period__partnership_id", "section__name", "overall")
    )
    reported: dict[int, dict[str, list[str]]] = {}
    for partnership_id, section_name, overall in latest_reports:
        reported.setdefault(partnership_id, {}).setdefault(overall, []).append(section_name)
    overdue_since: dict[int, datetime.date] = {}
    for checkin in overdue_checkins(moment or noon_of(today)):
        partnership_id = checkin.period.partnership_id
        overdue_since[partnership_id] = min(checkin.due_on, overdue_since.get(partnership_id, checkin.due_on))

    readings = {}
    for partnership_id, _schedule_from in active:
        quiet_since = last_event.get(partnership_id, today)
        quiet_days = (today - quiet_since).days
        reports = reported.get(partnership_id, {})
        if quiet_days >= settings.cooling_days:
            health = Health.DORMANT if quiet_days >= settings.dormant_days else Health.COOLING
            reason = Reason("quiet", days=quiet_days, date=quiet_since)
        elif CheckIn.Overall.OFF_TRACK in reports:
            health = Health.OFF_TRACK
            reason = Reason("off-track", sections=tuple(reports[CheckIn.Overall.OFF_TRACK]))
        elif CheckIn.Overall.AT_RISK in reports:
            health = Health.AT_RISK
            reason = Reason("at-risk", sections=tuple(reports[CheckIn.Overall.AT_RISK]))
        elif partnership_id in overdue_since:
            health = Health.AT_RISK
            reason = Reason("overdue", date=overdue_since[partnership_id])
        else:
            health, reason = Health.ON_TRACK, ""
        readings[partnership_id] = Reading(health=health, reason=reason, quiet_since=quiet_since)
    return readings


def record_health_changes(today: datetime.date | None = None) -> int:
    """Record today's health of every active partnership; announce each change once.
    Returns the number of changes this run recorded."""
    today, moment = day_and_moment(today)
    readings = partnership_health(today=today, moment=moment)
    recorded = dict(
        PartnershipHealth.objects.filter(partnership__status=Status.ACTIVE).values_list("partnership_id", "health")
    )
    missing = [pk for pk in readings if pk not in recorded]
    # Another worker may insert the same rows a moment ago: the one-to-one keeps one, and
    # the conditional UPDATE below then finds the health it moved on from, not ours.
    PartnershipHealth.objects.bulk_create(
        [PartnershipHealth(partnership_id=pk, health=Health.ON_TRACK, since=today) for pk in missing],
        ignore_conflicts=True,
    )
    recorded.update(dict.fromkeys(missing, Health.ON_TRACK))
    changes = 0
    for partnership_id, reading in readings.items():
        if reading.health != recorded[partnership_id]:
            changes += _record_change(partnership_id, recorded[partnership_id], reading, today)
    _record_reasons(readings, today)
    return changes


def _record_reasons(readings: dict[int, Reading], today: datetime.date) -> None:
    """Today's reason beside each recorded health, for the badges. Only the words move: a
    second worker writing the same words at the same time changes nothing anyone sees."""
    rows = list(PartnershipHealth.objects.filter(partnership_id__in=list(readings)).only("pk", "partnership_id"))
    for row in rows:
        reason = readings[row.partnership_id].reason
        row.reason, row.checked_on = reason.stored() if reason else "", today
    PartnershipHealth.objects.bulk_update(rows, ["reason", "checked_on"], batch_size=1000)


def _record_change(partnership_id: int, old: str, reading: Reading, today: datetime.date) -> bool:
    with transaction.atomic():
        # Of two workers that read the same old health, only one UPDATE matches the row.
        moved = PartnershipHealth.objects.filter(partnership_id=partnership_id, health=old).update(
            health=reading.health, since=today
        )
        if moved != 1:
            return False
        change = HealthChange.objects.create(
            partnership_id=partnership_id, from_health=old, to_health=reading.health, on=today
        )
        # Queued in the same transaction: the change is announced exactly when it is recorded.
        _announce(change, reading.reason)
    return True


def _announce(change: HealthChange, reason: Reason | str) -> None:
    partnership = change.partnership
    # Leads who still hold an office in their section; one whose office ended no longer follows it.
    to = {lead.user.email for lead in leads_in_office(partnership_ids=[partnership.pk])}
    to |= set(partnership_recipients(partnership, "coordinators"))
    mail.send(
        "evaluation/email/health",
        to=sorted(to),
        context={
            "change": change,
            "partnership": partnership,
            "reason": reason,
            "url": mail.absolute_url(partnership.get_absolute_url()),
        },
    )
