"""The inbox: every message the mail path (`twinning.mail.send`) sends to someone with an
account is also a `Notice` in their inbox, and how they hear of it follows their choice
for its kind (an email at once, the daily summary of `twinning.summary`, or the inbox only).

`KINDS` is the one table that says which kind each email is. A new email template gets
its row here (twinning/tests/test_notices.py checks that every template has one).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delivery, Notice, NoticeKind, NoticePreference, User

# How long a notice stays in the inbox.
KEEP = datetime.timedelta(days=180)


@dataclass(frozen=True)
class Kind:
    kind: str
    # The least a user may choose: an overdue check-in of their own cannot be switched off,
    # only moved to the daily summary.
    at_least: str = Delivery.INBOX


def _reminder(context: dict) -> Kind:
    # evaluation's Reminder.Kind: "before" the due date, "overdue" to the section's own
    # officers, "escalation" to the district's coordinators.
    match getattr(context.get("reminder"), "kind", ""):
        case "escalation":
            return Kind(NoticeKind.ESCALATIONS)
        case "overdue":
            return Kind(NoticeKind.REMINDERS, at_least=Delivery.DAILY)
        case _:
            return Kind(NoticeKind.REMINDERS)


# Template name → its kind, or a function of the message's context for a template that
# carries several kinds; None: not a notice (the daily summary itself), always mailed.
KINDS: dict[str, Kind | Callable[[dict], Kind] | None] = {
    "partnerships/email/event": Kind(NoticeKind.TRANSITIONS),
    "partnerships/email/side_change": Kind(NoticeKind.TRANSITIONS),
    # Instalments sent and confirmed, maturity proposals and decisions (forms of twinning).
    "partnerships/email/instalment": Kind(NoticeKind.TRANSITIONS),
    "partnerships/email/maturity": Kind(NoticeKind.TRANSITIONS),
    # An office ended: the section's remaining officers are asked to name a new lead.
    "partnerships/email/lead_vacancy": Kind(NoticeKind.TRANSITIONS),
    "evaluation/email/evaluation_confirmed": Kind(NoticeKind.TRANSITIONS),
    "evaluation/email/evaluation_final": Kind(NoticeKind.TRANSITIONS),
    "evaluation/email/evaluation_reopened": Kind(NoticeKind.TRANSITIONS),
    "evaluation/email/reminder": _reminder,
    "evaluation/email/midterm_offer": Kind(NoticeKind.REMINDERS),
    "evaluation/email/health": Kind(NoticeKind.ESCALATIONS),
    "partnerships/email/mediation": Kind(NoticeKind.ESCALATIONS),
    "evaluation/email/digest": Kind(NoticeKind.DIGESTS),
    "recognition/email/acknowledgement": Kind(NoticeKind.RECOGNITION),
    "recognition/email/district_recognition": Kind(NoticeKind.RECOGNITION),
    "recognition/email/nomination": Kind(NoticeKind.RECOGNITION),
    "registration/email/password_reset": Kind(NoticeKind.ACCOUNT),
    "twinning/email/email_change": Kind(NoticeKind.ACCOUNT),
    # An invitation's link is a secret for its addressee: mailed at once, never in an inbox.
    "sections/email/invitation": Kind(NoticeKind.ACCOUNT),
    # An invitee asks the inviter (or the district's coordinators) for a new link.
    "sections/email/invitation_renewal": Kind(NoticeKind.TRANSITIONS),
    "twinning/email/daily_summary": None,
}
# The kinds a user chooses for, in the order the profile shows them.
CHOOSABLE = [kind for kind in NoticeKind if kind != NoticeKind.ACCOUNT]
_ORDER = [Delivery.INBOX, Delivery.DAILY, Delivery.IMMEDIATE]


def kind_of(template_name: str, context: dict) -> Kind | None:
    """What a message is; a template missing from KINDS is mailed at once, like account mail,
    so that nothing is lost (the test on KINDS asks for its row)."""
    entry = KINDS.get(template_name, Kind(NoticeKind.ACCOUNT))
    return entry(context) if callable(entry) else entry


def deliveries(users: Iterable[User], kind: Kind) -> dict[int, str]:
    """How each of these users hears of a notice of `kind`: their choice, at least
    `kind.at_least`; one query."""
    ids = [user.pk for user in users]
    if kind.kind == NoticeKind.ACCOUNT:
        return dict.fromkeys(ids, Delivery.IMMEDIATE)
    chosen = dict(
        NoticePreference.objects.filter(user_id__in=ids, kind=kind.kind).values_list("user_id", "delivery")
    ) if ids else {}
    return {
        pk: max(chosen.get(pk, Delivery.IMMEDIATE), kind.at_least, key=_ORDER.index) for pk in ids
    }


def site_path(link: str) -> str:
    """A link kept in the inbox: a path on this site. The mail's absolute links lose their
    SITE_URL; anything else (another site, a scheme) is not kept."""
    if link.startswith(settings.SITE_URL + "/"):
        link = link[len(settings.SITE_URL):]
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link[: Notice._meta.get_field("link").max_length]
    return ""


def preferences_of(user: User) -> dict[str, str]:
    """The user's choice for each choosable kind; an email at once where they made none."""
    chosen = dict(user.notice_preferences.values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, Delivery.IMMEDIATE) for kind in CHOOSABLE}


@transaction.atomic
def notice_preferences_set(*, user: User, deliveries: dict[str, str]) -> None:
    """Record how `user` hears of each kind given; an email at once needs no row."""
    for kind, delivery in deliveries.items():
        if kind not in CHOOSABLE or delivery not in Delivery.values:
            raise ValueError(f"No such kind or delivery: {kind!r}, {delivery!r}")
        if delivery == Delivery.IMMEDIATE:
            NoticePreference.objects.filter(user=user, kind=kind).delete()
        else:
            NoticePreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def notice_mark_read(*, notice: Notice) -> Notice:
    """Mark one notice read, once: a second call keeps the first time."""
    now = timezone.now()
    if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now):
        notice.read_at = now
    return notice


def notices_mark_all_read(*, user: User) -> int:
    """Mark every unread notice of `user` read; how many were unread."""
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notices_purge(now: datetime.datetime | None = None) -> int:
    """Delete the notices older than KEEP; safe to run twice at once (a DELETE by age)."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = Notice.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def unread_count(user: User) -> int:
    """The bell's number: read with the user by twinning.backends.UserBackend, else asked."""
    count = getattr(user, "unread_notice_count", None)
    if count is None:
        count = Notice.objects.filter(user=user, read_at__isnull=True).count()
    return count
