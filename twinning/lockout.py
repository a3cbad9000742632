"""What django-axes counts a failed log-in against (settings: AXES_USERNAME_CALLABLE)."""

from __future__ import annotations

from django.http import HttpRequest


def attempted_email(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email address tried, as the log-in matches it: trimmed and case-folded.

    Both the site's and the admin's form post it as "username", and authenticate() receives
    it under that name.
    """
    if credentials:
        email = credentials.get("username")
    else:
        email = request.POST.get("username")
    if not isinstance(email, str):
        return None
    return email.strip().lower() or None
