"""Writes of the web layer: a user's calendar feed, created, replaced and revoked."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import CalendarFeed, token_digest


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """A new secret address for `user`'s calendar feed, replacing any earlier one (whose
    address answers 404 from now on). Returns the token: it is stored only as a hash, so
    this is the one moment it can be shown."""
    token = secrets.token_urlsafe(32)
    # The user's row lock serialises two tabs creating at once: the second replaces the first.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": token_digest(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user) -> bool:
    """End `user`'s calendar feed; False when there was none."""
    deleted, _by_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
