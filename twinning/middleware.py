"""Request checks that hold for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


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
