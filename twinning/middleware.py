"""Request checks that hold for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from .validators import fits_in_database


class NullCharacterInRequest(SuspiciousOperation):
    """Answered 400 by Django, like any SuspiciousOperation."""


def reject_null_characters(get_response: Callable[[HttpRequest], HttpResponse]):
    """No link of ours carries a NUL character, and PostgreSQL refuses one in any string it
    is given: a view that passed such a query parameter to a query would answer 500.
    Refused here once, with a 400, for every query string. Posted forms are left to their
    fields, which refuse it with a field error and keep what the user typed."""

    def middleware(request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise NullCharacterInRequest("A NUL character in the query string.")
        return get_response(request)

    return middleware


class NotFoundForIdsTooLarge:
    """An `<int:…>` in a link larger than any id the database holds names nothing: 404 here,
    once for every page, before a view's query would fail on it (SQLite raises OverflowError
    for a related id such as `section_id`; Django only guards plain integer lookups)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not fits_in_database(value):
                raise Http404("No such record.")
