"""The demo's people as they would have set themselves up: the events the demo ran through
the services left notices in everyone's inbox; here the demo officer has read all but the
latest few (so the bell shows a small count), and chose a time zone, and the demo
coordinator reads digests and escalations in the daily summary. Some read the site in their
own language: the Bogotá student lead in Spanish (with no zone of their own: their pages show
Bogotá's), the São Paulo chair in Portuguese, the Lyon chair in French. Safe to run again."""

from __future__ import annotations

from twinning.models import Delivery, Notice, NoticeKind, User
from twinning.notices import notice_preferences_set

UNREAD = 3
# Each user's language, as they chose it with the footer's switcher.
LANGUAGES = {
    "student@example.org": "es",
    "sao-paulo.chair@example.org": "pt",
    "lyon.chair@example.org": "fr",
}


def seed_notices() -> None:
    for email, language in LANGUAGES.items():
        User.objects.filter(email=email, language="").update(language=language)
    officer = User.objects.filter(email="officer@example.org").first()
    if officer is not None:
        if not officer.time_zone:
            officer.time_zone = "America/Chicago"
            officer.save(update_fields=["time_zone"])
        latest = Notice.objects.filter(user=officer).values_list("pk", flat=True)[:UNREAD]
        Notice.objects.filter(user=officer, read_at__isnull=True).exclude(pk__in=list(latest)).update(
            read_at=officer.date_joined
        )
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    if coordinator is not None:
        notice_preferences_set(user=coordinator, deliveries={
            NoticeKind.DIGESTS: Delivery.DAILY, NoticeKind.ESCALATIONS: Delivery.DAILY,
        })
