"""The one mail path: every email the site sends goes through `send`.

`send("partnerships/email/event", to=[...], context={...})` renders, for each recipient
on their own, `<name>-subject.txt` (one line), `<name>.txt` and `<name>.html` (which
extends `email/base.html`), stores one `OutgoingMail` row per address and, once the
transaction commits, has a Celery worker deliver them. One address per message: no
recipient sees another's address.

Delivery claims a row with one conditional UPDATE that moves its attempt count on and its
next attempt to the backoff; only the worker whose UPDATE changed the row sends it, so two
workers never send one row twice. A failed send keeps its error and waits for its backoff
(5 minutes, doubling, at most 6 hours); after MAX_ATTEMPTS the row is failed and shows in
the admin, which can send it again. The periodic sweep (`deliver_due`) delivers every due
row, so retries and a lost task need nothing from Celery.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutgoingMail, User

logger = logging.getLogger(__name__)

FIRST_BACKOFF = datetime.timedelta(minutes=5)
MAX_BACKOFF = datetime.timedelta(hours=6)
# After this many failed attempts a message is given up: failed, with its error, in the admin.
MAX_ATTEMPTS = 8
# Rows one sweep reads; what is left is the next sweep's.
SWEEP_BATCH = 500


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def backoff(attempts: int) -> datetime.timedelta:
    """How long a message waits after its attempt number `attempts + 1`."""
    return min(FIRST_BACKOFF * 2**attempts, MAX_BACKOFF)


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


def send(template_name: str, *, to: Iterable[User | str], context: dict) -> list[OutgoingMail]:
    """Store one message per recipient, rendered for them, and deliver each after the commit."""
    rows = []
    for user, email in _addresses(to):
        own = {
            **context,
            "recipient": user,
            "recipient_email": email,
            "society_name": settings.SOCIETY_NAME,
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string(f"{template_name}-subject.txt", own).split())
        rows.append(OutgoingMail(
            template_name=template_name,
            to=email,
            subject=subject[: OutgoingMail._meta.get_field("subject").max_length],
            text=render_to_string(f"{template_name}.txt", own),
            html=render_to_string(f"{template_name}.html", own),
        ))
    if not rows:
        return []
    OutgoingMail.objects.bulk_create(rows)
    _deliver_after_commit([row.pk for row in rows])
    return rows


def _deliver_after_commit(mail_ids: list[int]) -> None:
    # Imported here: the task module imports this one.
    from .tasks import deliver_mail

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


def _claim(row: OutgoingMail) -> bool:
    """Take `row` for one attempt: true only for the one worker whose UPDATE changed it.

    The claim moves the next attempt to the backoff at once, so a worker stopped mid-send
    leaves the row to the sweep after that wait; the first wait (5 minutes) is far longer
    than one send can take with EMAIL_TIMEOUT."""
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(
        pk=row.pk, status=OutgoingMail.Status.QUEUED, attempts=row.attempts, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + backoff(row.attempts))
    if claimed != 1:
        return False
    row.attempts += 1
    return True


def _message(row: OutgoingMail, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=row.subject, body=row.text, to=[row.to], connection=connection)
    message.attach_alternative(row.html, "text/html")
    return message


def _record_failure(row: OutgoingMail, connection: BaseEmailBackend, exc: Exception) -> None:
    logger.warning("Mail %s to %s not sent (attempt %s): %s", row.pk, row.to, row.attempts, exc)
    status = OutgoingMail.Status.FAILED if row.attempts >= MAX_ATTEMPTS else OutgoingMail.Status.QUEUED
    OutgoingMail.objects.filter(pk=row.pk, status=OutgoingMail.Status.QUEUED, attempts=row.attempts).update(
        status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )
    # A connection that failed half-way may be broken: the next message opens a new one.
    with contextlib.suppress(Exception):
        connection.close()


def _attempt(row: OutgoingMail, connection: BaseEmailBackend) -> bool | None:
    """One claimed attempt: True when sent, False when it failed, None when the mail server
    did not answer (the caller stops there: the rest would fail the same way)."""
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - kept on the row, retried after its backoff
        _record_failure(row, connection, exc)
        return None
    try:
        _message(row, connection).send()
    except Exception as exc:  # noqa: BLE001 - one refused address must not stop the others
        _record_failure(row, connection, exc)
        return False
    OutgoingMail.objects.filter(pk=row.pk, status=OutgoingMail.Status.QUEUED, attempts=row.attempts).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now()
    )
    return True


def _deliver(rows: Iterable[OutgoingMail]) -> DeliveryResult:
    result = DeliveryResult()
    connection = get_connection()
    try:
        for row in rows:
            if not _claim(row):
                continue
            outcome = _attempt(row, connection)
            if outcome:
                result.sent += 1
            else:
                result.failed += 1
            if outcome is None:
                break
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    return result


def _due():
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=timezone.now())


def deliver(*, mail_ids: Iterable[int]) -> DeliveryResult:
    """Deliver these queued messages, those of them that are due (what `send` enqueues)."""
    return _deliver(_due().filter(pk__in=list(mail_ids)).order_by("pk"))


def deliver_due() -> DeliveryResult:
    """The sweep: deliver the queued messages whose next attempt is due, oldest first.
    Safe to run on several workers at once: each row is claimed before it is sent."""
    return _deliver(_due().order_by("next_attempt_at", "pk")[:SWEEP_BATCH])
