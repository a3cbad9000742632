"""The coordinators' weekly digest: overdue check-ins of their districts' sections, and the
partnerships of their districts that are at risk, off track, cooling or dormant.

Each coordinator's week is claimed by inserting `DigestSent(coordinator, week_of)` before
anything is sent; the unique constraint lets one run, worker or retry have it, so a week's
digest goes out once. A failed send gives the claim back (a later run tries again); a
crash between the claim and the send loses that week's digest rather than sending it twice.
A coordinator with nothing to report gets no email: the claim is kept, and the week is done.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Participant, Status
from sections.models import DistrictCoordinator

from ..models import CheckIn, DigestSent, Health
from .health import SEVERITY, Reading, partnership_health

logger = logging.getLogger(__name__)


@dataclass
class DigestResult:
    sent: int = 0
    quiet: int = 0
    taken: int = 0
    failed: int = 0


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


def _district_reports(today: datetime.date) -> dict[int, DistrictReport]:
    """What each district's coordinators should hear about, in a fixed number of queries.
    An overdue check-in belongs to its section's district; a partnership to the district of
    each participating section."""
    reports: dict[int, DistrictReport] = defaultdict(DistrictReport)
    overdue = (
        CheckIn.objects.filter(state=CheckIn.State.DRAFT, due_on__lt=today, period__partnership__status=Status.ACTIVE)
        .select_related("section", "period__partnership")
        .order_by("due_on", "section__name")
    )
    for checkin in overdue:
        checkin.days_overdue = (today - checkin.due_on).days
        checkin.url = django_settings.SITE_URL + checkin.period.partnership.get_absolute_url()
        reports[checkin.section.district_id].overdue.append(checkin)
    readings = partnership_health(today=today)
    participants = Participant.objects.filter(partnership__status=Status.ACTIVE).values_list(
        "partnership_id", "partnership__title", "section__district_id"
    )
    seen = set()
    for partnership_id, title, district_id in participants.order_by("partnership__title", "partnership_id"):
        reading = readings.get(partnership_id)
        if reading is None or reading.health == Health.ON_TRACK or (partnership_id, district_id) in seen:
            continue
        seen.add((partnership_id, district_id))
        url = django_settings.SITE_URL + reverse("partnerships:detail", kwargs={"pk": partnership_id})
        reports[district_id].troubled.append(Troubled(partnership_id, title, reading, url))
    return reports


def _claim(coordinator_id: int, week: datetime.date) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(coordinator_id=coordinator_id, week_of=week)
    except IntegrityError:
        return False
    return True


def _message(coordinator, districts: list, overdue: list[CheckIn], troubled: list[Troubled],
             week: datetime.date) -> EmailMultiAlternatives:
    groups = [
        (Health(health).label, [t for t in troubled if t.reading.health == health])
        for health in SEVERITY
        if health != Health.ON_TRACK
    ]
    context = {
        "recipient": coordinator,
        "districts": districts,
        "week_of": week,
        "overdue": overdue,
        "groups": [(label, items) for label, items in groups if items],
        "society_name": django_settings.SOCIETY_NAME,
    }
    message = EmailMultiAlternatives(
        subject=_("Your weekly twinning digest, week of %(date)s") % {"date": week},
        body=render_to_string("evaluation/email/digest.txt", context),
        to=[coordinator.email],
    )
    message.attach_alternative(render_to_string("evaluation/email/digest.html", context), "text/html")
    return message


def send_weekly_digests(today: datetime.date | None = None) -> DigestResult:
    """Send this week's digest to each coordinator with an open assignment, once."""
    today = today or timezone.localdate()
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
    reports = _district_reports(today)
    for user, districts in coordinators.values():
        if not _claim(user.pk, week):
            result.taken += 1
            continue
        overdue = sorted(
            (c for d in districts for c in reports[d.pk].overdue), key=lambda c: (c.due_on, c.section.name)
        )
        troubled = sorted(
            {t.partnership_id: t for d in districts for t in reports[d.pk].troubled}.values(),
            key=lambda t: (t.title, t.partnership_id),
        )
        if not overdue and not troubled:
            result.quiet += 1
            continue
        try:
            _message(user, districts, overdue, troubled, week).send()
        except Exception:  # noqa: BLE001 - one bad address or outage must not stop the others
            logger.exception("Weekly digest for coordinator %s not sent", user.pk)
            # Give the week back so a later run sends it.
            DigestSent.objects.filter(coordinator=user, week_of=week).delete()
            result.failed += 1
        else:
            result.sent += 1
    return result
