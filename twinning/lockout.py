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
    # The admin's form does not enforce its length limit, and django-axes stores 255 characters:
    # no account has a longer address, so the cut changes whose attempts are counted for nobody.
    return email.strip().lower()[:255] or None
