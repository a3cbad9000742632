"""The daily summary: one email a day to each user with notices waiting for it (those of the
kinds they chose to hear of in a summary), sent at SUMMARY_HOUR in the user's time zone.

Each user's day is claimed by inserting `DailySummary(user, day)`, the waiting notices
taken by a conditional UPDATE and the summary queued through the mail path, in one
transaction: the unique constraint lets one run, worker or retry have the day, and a notice
is taken by one summary only, so two runs at the same moment send one summary. A summary
carries the notices that happened before that day's SUMMARY_HOUR; a later one waits for
the next day's. Notices read in the inbox meanwhile are taken but not mailed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import mail
from .models import DailySummary, Delivery, Notice

# The local hour (in the user's time zone) from which the day's summary is sent.
SUMMARY_HOUR = 7


@dataclass
class SummaryResult:
    sent: int = 0
    # Days whose waiting notices were all read already: claimed, no email.
    quiet: int = 0
    # Days another run had.
    taken: int = 0


class _Nothing(Exception):
    """Another run took the notices: give the claim back."""


def summary_cutoff(now: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """The latest SUMMARY_HOUR in `zone` at or before `now`: the summary it starts carries
    the notices from before it, and is that local day's."""
    local = now.astimezone(zone)
    cutoff = local.replace(hour=SUMMARY_HOUR, minute=0, second=0, microsecond=0)
    if cutoff > local:
        cutoff = (local - datetime.timedelta(days=1)).replace(hour=SUMMARY_HOUR, minute=0, second=0, microsecond=0)
    return cutoff


def _summarise(user, day: datetime.date, notice_ids: list[int]) -> bool:
    """Claim `user`'s `day`, take these notices and queue the summary; whether it was mailed."""
    with transaction.atomic():
        summary = DailySummary.objects.create(user=user, day=day)
        if not Notice.objects.filter(pk__in=notice_ids, summary__isnull=True).update(summary=summary):
            raise _Nothing
        unread = list(summary.notices.filter(read_at__isnull=True).order_by("created_at", "pk"))
        if not unread:
            return False
        [summary.mail] = mail.send(
            "twinning/email/daily_summary",
            to=[user],
            context={"notices": unread, "day": day, "inbox_url": mail.absolute_url(reverse("inbox"))},
        )
        summary.save(update_fields=["mail"])
    return True


def send_daily_summaries(now: datetime.datetime | None = None) -> SummaryResult:
    """Send each user whose summary hour has come the day's summary, once."""
    now = now or timezone.now()
    waiting: dict[int, list[Notice]] = defaultdict(list)
    users = {}
    for notice in (
        Notice.objects.filter(delivery=Delivery.DAILY, summary__isnull=True, user__is_active=True)
        .select_related("user").order_by("user_id", "pk")
    ):
        users[notice.user_id] = notice.user
        waiting[notice.user_id].append(notice)
    result = SummaryResult()
    for user_id, notices in waiting.items():
        user = users[user_id]
        cutoff = summary_cutoff(now, user.zone)
        due = [notice.pk for notice in notices if notice.created_at < cutoff]
        if not due:
            continue
        try:
            sent = _summarise(user, cutoff.date(), due)
        except IntegrityError:
            # Another run, worker or retry has this user's day.
            result.taken += 1
            continue
        except _Nothing:
            result.taken += 1
            continue
        if sent:
            result.sent += 1
        else:
            result.quiet += 1
    return result
