"""The web layer's own records: each user's secret calendar feed address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(token: str) -> str:
    """What is stored of a feed's token: its SHA-256, so a copy of the database does not
    give away anyone's feed address. The token is random (256 bits), so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's iCalendar feed: calendar apps fetch it without signing in, so its address
    carries a secret token. Replacing the token or revoking the feed ends the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}'s calendar feed"
