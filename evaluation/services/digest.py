"""The coordinators' weekly digest: overdue check-ins of their districts' sections, and the
partnerships of their districts that are at risk, off track, cooling or dormant.

Each coordinator's week is claimed by inserting `DigestSent(coordinator, week_of)`, and the
digest queued through the mail path, in one transaction: the unique constraint lets one
run, worker or retry have the week, so a week's digest is queued once, and the mail path
delivers it (retrying while the mail server fails). A coordinator with nothing to report
gets no email: the claim is kept, and the week is done.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import Participant, Status
from sections.models import DistrictCoordinator
from twinning import mail

from ..models import CheckIn, DigestSent, Health
from ..selectors import local_today
from .health import SEVERITY, Reading, day_and_moment, overdue_checkins, partnership_health


@dataclass
class DigestResult:
    # Digests queued to the mail path, which delivers them.
    sent: int = 0
    quiet: int = 0
    taken: int = 0


@dataclass
class Troubled:
    partnership_id: int
    title: str
    reading: Reading
    url: str = ""


@dataclass
class DistrictReport:
    overdue: list[CheckIn] = field(default_factory=list)
    troubled: list[Troubled] = field(default_factory=list)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week: a digest's week."""
    return day - datetime.timedelta(days=day.weekday())


def _district_reports(today: datetime.date, moment: datetime.datetime) -> dict[int, DistrictReport]:
    """What each district's coordinators should hear about, in a fixed number of queries.
    An overdue check-in belongs to its section's district; a partnership to the district of
    each participating section. A check-in is overdue, and counts its days, in its section's
    time zone."""
    reports: dict[int, DistrictReport] = defaultdict(DistrictReport)
    for checkin in overdue_checkins(moment):
        checkin.days_overdue = (local_today(checkin, moment) - checkin.due_on).days
        checkin.url = mail.absolute_url(checkin.period.partnership.get_absolute_url())
        reports[checkin.section.district_id].overdue.append(checkin)
    readings = partnership_health(today=today, moment=moment)
    participants = Participant.objects.filter(partnership__status=Status.ACTIVE).values_list(
        "partnership_id", "partnership__title", "section__district_id"
    )
    seen = set()
    for partnership_id, title, district_id in participants.order_by("partnership__title", "partnership_id"):
        reading = readings.get(partnership_id)
        if reading is None or reading.health == Health.ON_TRACK or (partnership_id, district_id) in seen:
            continue
        seen.add((partnership_id, district_id))
        url = mail.absolute_url(reverse("partnerships:detail", kwargs={"pk": partnership_id}))
        reports[district_id].troubled.append(Troubled(partnership_id, title, reading, url))
    return reports


def _context(districts: list, overdue: list[CheckIn], troubled: list[Troubled], week: datetime.date) -> dict:
    groups = [
        (Health(health).label, [t for t in troubled if t.reading.health == health])
        for health in SEVERITY
        if health != Health.ON_TRACK
    ]
    return {
        "districts": districts,
        "week_of": week,
        "overdue": overdue,
        "groups": [(label, items) for label, items in groups if items],
    }


def send_weekly_digests(today: datetime.date | None = None) -> DigestResult:
    """Send this week's digest to each coordinator with an open assignment, once."""
    today, moment = day_and_moment(today)
    week = week_of(today)
    coordinators: dict[int, tuple] = {}
    for assignment in (
        DistrictCoordinator.objects.open_on(today).filter(user__is_active=True)
        .select_related("user", "district").order_by("district__name")
    ):
        user, districts = coordinators.setdefault(assignment.user_id, (assignment.user, []))
        districts.append(assignment.district)
    result = DigestResult()
    if not coordinators:
        return result
    reports = _district_reports(today, moment)
    for user, districts in coordinators.values():
        overdue = sorted(
            (c for d in districts for c in reports[d.pk].overdue), key=lambda c: (c.due_on, c.section.name)
        )
        troubled = sorted(
            {t.partnership_id: t for d in districts for t in reports[d.pk].troubled}.values(),
            key=lambda t: (t.title, t.partnership_id),
        )
        try:
            # The claim and the message together: a week is claimed only with its digest queued.
            with transaction.atomic():
                DigestSent.objects.create(coordinator=user, week_of=week)
                if overdue or troubled:
                    mail.send(
                        "evaluation/email/digest", to=[user], context=_context(districts, overdue, troubled, week)
                    )
        except IntegrityError:
            # Another run, worker or retry has this coordinator's week.
            result.taken += 1
            continue
        if overdue or troubled:
            result.sent += 1
        else:
            result.quiet += 1
    return result
