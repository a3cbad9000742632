"""A create form saves once per form instance, however often it is sent.

Each create form carries a one-time token (twinning.forms.OnceFormMixin: a fresh uuid4 when
the form is drawn, kept when it comes back with errors). The service that creates the record
claims the token in its own transaction, before anything else it writes: an INSERT into a
unique column. A second sending of the same form waits on that row until the first commits,
then fails on the unique index and raises AlreadySent, naming the first sending's record, and
its transaction writes nothing. Should the first roll back, the second goes ahead: nothing was
saved yet. A form sent without a token (an old page, a script) is saved as before.

Tokens are kept long enough to catch a page reloaded days later, then pruned nightly.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

KEEP = datetime.timedelta(days=30)
ALREADY_SAVED = _("This was already saved; sending the form again saved nothing more.")


class AlreadySent(Exception):
    """The form instance behind this token was saved before."""

    def __init__(self, submission: FormSubmission) -> None:
        super().__init__(str(ALREADY_SAVED))
        self.submission = submission

    @property
    def target(self) -> models.Model | None:
        """The record the first sending saved, if it still exists."""
        return self.submission.target


def claim(token: uuid.UUID | None, *, user) -> FormSubmission | None:
    """Claim `token` in the caller's transaction; AlreadySent when it was claimed before.
    None (nothing claimed) without a token."""
    if token is None:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A form token is claimed in the transaction that saves the record.")
    try:
        # A savepoint: the clash leaves the caller's transaction usable to read the first claim.
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=user if user and user.is_authenticated else None)
    except IntegrityError:
        pass
    raise AlreadySent(FormSubmission.objects.get(token=token))


def record(submission: FormSubmission | None, target: models.Model) -> None:
    """Note what the claimed form saved, for a second sending to be shown."""
    if submission is None:
        return
    submission.target = target
    submission.save(update_fields=["content_type", "object_id"])


def already_saved(request, to) -> HttpResponse:
    """The answer to a form sent again: what it saved the first time, and why nothing changed."""
    messages.info(request, ALREADY_SAVED)
    return redirect(to)


def prune(*, now: datetime.datetime | None = None) -> int:
    """Forget tokens older than KEEP; the number forgotten. Two runs at once delete each row
    once: the second waits on the rows the first is deleting, then finds them gone."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
