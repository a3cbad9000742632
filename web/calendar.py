"""A user's iCalendar feed: the due dates of their sections' check-ins, their open
evaluations and the planned activities of their running partnerships, as all-day events.

Which sections count is read when the feed is fetched (the offices held that day), so an
officer whose term ends stops receiving the section's dates without touching the feed.
Each event's UID names its record, so calendar apps update an event rather than add
another when a date moves. Five queries however many events."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from evaluation.selectors.due import evaluation_target, open_checkins, open_evaluation_sides
from partnerships.selectors import activities_of_sections
from sections.permissions import roles_of

ONE_DAY = datetime.timedelta(days=1)


def _event(
    uid: str, summary: str, start: datetime.date, end: datetime.date, url: str, stamp: datetime.datetime
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@twinning")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    # All-day: the end date is exclusive, the day after the last.
    event.add("dtstart", start)
    event.add("dtend", end + ONE_DAY)
    event.add("url", url)
    return event


def calendar_for(user, absolute: Callable[[str], str]) -> bytes:
    """The feed of `user` as iCalendar bytes; `absolute` turns a path into a full URL."""
    section_ids = roles_of(user).section_ids
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SOCIETY_NAME} Twinning//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("%(society)s Twinning") % {"society": settings.SOCIETY_NAME})
    for checkin in open_checkins(section_ids=section_ids):
        partnership = checkin.period.partnership
        calendar.add_component(_event(
            f"checkin-{checkin.pk}",
            _("Check-in due: %(partnership)s (%(section)s)")
            % {"partnership": partnership.title, "section": checkin.section.name},
            checkin.due_on, checkin.due_on,
            absolute(reverse("partnerships:checkin", args=[partnership.pk, checkin.pk])), stamp,
        ))
    seen = set()
    for side in open_evaluation_sides(section_ids=section_ids):
        evaluation = side.evaluation
        if evaluation.pk in seen:  # an officer of both sides gets the evaluation once
            continue
        seen.add(evaluation.pk)
        partnership = evaluation.partnership
        day = evaluation_target(evaluation, partnership)
        calendar.add_component(_event(
            f"evaluation-{evaluation.pk}",
            f"{evaluation.get_kind_display()}: {partnership.title}",
            day, day,
            absolute(reverse("partnerships:evaluation", args=[partnership.pk, evaluation.kind])), stamp,
        ))
    for activity in activities_of_sections(section_ids=section_ids):
        calendar.add_component(_event(
            f"activity-{activity.pk}",
            _("%(activity)s — %(partnership)s (%(section)s)") % {
                "activity": activity.title, "partnership": activity.partnership.title,
                "section": activity.owning_section.name,
            },
            activity.start_date, activity.end_date,
            absolute(activity.partnership.get_absolute_url() + "#plan"), stamp,
        ))
    return calendar.to_ical()
