"""The language and the time zone of a page, chosen for the person reading it.

Django's LocaleMiddleware (earlier in the list) has already picked the language of the
switcher's cookie or, without one, of the browser's Accept-Language, else English. Here a
signed-in user's own choices win: the preferred language of their profile, and their time zone,
else the time zone of their section (the section they hold an office in, the first if several),
else the site's (UTC). Every time on the page is shown in that zone, with the zone named
(twinning/formats), and a date or time typed into a form is read in it."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from sections.permissions import roles_of
from twinning.translations import is_site_language


class SectionZone(datetime.tzinfo):
    """The time zone of the user's section, looked up the first time the request shows or reads
    a time: a page without one asks no query for it, and one that reads the user's roles anyway
    (most do) finds them read (sections.permissions.roles_of keeps them on the user). Without
    an office, the site's zone. Otherwise it is that zone, for every purpose a tzinfo serves."""

    def __init__(self, user):
        super().__init__()
        self._user = user
        self._zone: zoneinfo.ZoneInfo | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        if self._zone is None:
            self._zone = zoneinfo.ZoneInfo(roles_of(self._user).section_zone or settings.TIME_ZONE)
        return self._zone

    def utcoffset(self, dt):
        return self.zone.utcoffset(dt)

    def dst(self, dt):
        return self.zone.dst(dt)

    def tzname(self, dt):
        return self.zone.tzname(dt)

    def fromutc(self, dt):
        return self.zone.fromutc(dt.replace(tzinfo=self.zone)).replace(tzinfo=self)

    def __str__(self) -> str:
        return str(self.zone)

    def __repr__(self) -> str:
        return f"SectionZone({self.zone!r})"

    def __reduce__(self):
        # A time kept (pickled into a cache) keeps the zone it was in, not the user.
        return zoneinfo.ZoneInfo, (str(self.zone),)


def viewer_zone(user) -> datetime.tzinfo:
    """The zone a signed-in user's pages show times in: their own, else their section's."""
    return user.zone if user.time_zone else SectionZone(user)


class UserLanguageAndZone:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if is_site_language(user.language):
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            timezone.activate(viewer_zone(user))
        try:
            return self.get_response(request)
        finally:
            # A thread serves the next request with the site's zone until its own is chosen.
            timezone.deactivate()
