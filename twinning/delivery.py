"""Delivering what the mail path (twinning/mail.py) stored: one claimed attempt per row.

A worker claims a row with one conditional UPDATE that moves its attempt count on and its
next attempt to the backoff; only the worker whose UPDATE changed the row sends it, so two
workers never send one row twice. The periodic sweep (`deliver_due`) delivers every due
row, so retries and a lost task need nothing from Celery.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from .models import OutgoingMail

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
