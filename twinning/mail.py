"""The one mail path: every email the site sends goes through `send`.

`send("partnerships/email/event", to=[...], context={...})` renders, for each recipient
on their own, `<name>-subject.txt` (one line), `<name>.txt` and `<name>.html` (which
extends `email/base.html`), stores one `OutgoingMail` row per address and, once the
transaction commits, has a Celery worker deliver them. One address per message: no
recipient sees another's address.

Delivery is twinning/delivery.py: one claimed attempt per row, a failed send kept with its
error and retried after a backoff (5 minutes, doubling, at most 6 hours); after
delivery.MAX_ATTEMPTS the row is failed and shows in the admin, which can send it again.

Each message is written in its recipient's language and shows times in their time zone (the
site's when they chose none), named beside each time.

Each recipient with an account also gets a notice in their inbox (twinning/notices.py), and
is mailed at once, in the daily summary (twinning/summary.py) or not at all as they chose.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import notices
from .models import Delivery, Notice, NoticeKind, OutgoingMail, User
from .tasks import deliver_mail
from .translations import is_site_language


def absolute_url(path: str) -> str:
    """A link for a message: mail is read outside the site, so every link carries SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def _addresses(to: Iterable[User | str]) -> list[tuple[User | None, str]]:
    """(user or None, address) once per address, ignoring case; a user wins over a bare address."""
    found: dict[str, tuple[User | None, str]] = {}
    for item in to:
        user, email = (None, item) if isinstance(item, str) else (item, item.email)
        email = email.strip()
        if not email:
            continue
        key = email.lower()
        if key not in found or (user is not None and found[key][0] is None):
            found[key] = (user, email)
    return list(found.values())


def _users(addresses: list[tuple[User | None, str]]) -> list[tuple[User | None, str]]:
    """The addresses with the user each belongs to, found by address where a caller gave only
    the address, so that everyone with an account has the notice in their inbox."""
    bare = {email.lower() for user, email in addresses if user is None}
    known = {user.email.lower(): user for user in User.objects.filter(email__in=bare)} if bare else {}
    return [(user or known.get(email.lower()), email) for user, email in addresses]


def _language_of(user: User | None) -> str:
    """A recipient's language: their preferred one; for an address without an account (an
    invitation), or a user who chose none, the language of the page that sent it (a worker's
    is the site's)."""
    if user is not None and is_site_language(user.language):
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


def send(
    template_name: str, *, to: Iterable[User | str], context: dict, link: str = ""
) -> list[OutgoingMail]:
    """Store one message per recipient, rendered for them, and deliver each after the commit.

    Each recipient with an account also gets a notice in their inbox, linking to `link`
    (a path on the site; by default the context's "url"), and is mailed now only if they
    chose so for the notice's kind (twinning.notices): the daily summary or the inbox alone
    take the others' place. The messages queued now are returned."""
    addresses = _users(_addresses(to))
    kind = notices.kind_of(template_name, context)
    how = notices.deliveries([user for user, _ in addresses if user is not None], kind) if kind else {}
    path = "" if kind is None or kind.kind == NoticeKind.ACCOUNT else notices.site_path(
        link or context.get("url", "")
    )
    rows, inbox = [], []
    for user, email in addresses:
        own = {
            **context,
            "recipient": user,
            "recipient_email": email,
            "society_name": settings.SOCIETY_NAME,
            "site_url": settings.SITE_URL,
        }
        with translation.override(_language_of(user)), timezone.override(user.zone if user else None):
            subject, text, html = (
                " ".join(render_to_string(f"{template_name}-subject.txt", own).split()),
                render_to_string(f"{template_name}.txt", own),
                render_to_string(f"{template_name}.html", own),
            )
        delivery = how.get(user.pk, Delivery.IMMEDIATE) if user is not None else Delivery.IMMEDIATE
        if user is not None and kind is not None:
            # Account mail carries no link here: its link is a secret for the mailbox.
            inbox.append(Notice(
                user=user, kind=kind.kind, subject=subject[: Notice._meta.get_field("subject").max_length],
                link=path, delivery=delivery,
            ))
        if delivery != Delivery.IMMEDIATE:
            continue
        rows.append(OutgoingMail(
            template_name=template_name,
            to=email,
            subject=subject[: OutgoingMail._meta.get_field("subject").max_length],
            text=text,
            html=html,
        ))
    if inbox:
        Notice.objects.bulk_create(inbox)
    if not rows:
        return []
    OutgoingMail.objects.bulk_create(rows)
    _deliver_after_commit([row.pk for row in rows])
    return rows


def _deliver_after_commit(mail_ids: list[int]) -> None:
    # Robust: with the broker unreachable the change is still committed and its page
    # still answers; the rows wait for the sweep.
    transaction.on_commit(lambda: deliver_mail.delay(mail_ids), robust=True)


def requeue(*, mail_ids: Iterable[int]) -> int:
    """Give failed messages a fresh set of attempts and deliver them after the commit."""
    ids = list(
        OutgoingMail.objects.filter(pk__in=list(mail_ids), status=OutgoingMail.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    requeued = OutgoingMail.objects.filter(pk__in=ids, status=OutgoingMail.Status.FAILED).update(
        status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    if ids:
        _deliver_after_commit(ids)
    return requeued
