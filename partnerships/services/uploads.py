"""Files uploaded to a partnership: every one is counted, and a partnership gets at most
UPLOADS_PER_PARTNERSHIP_PER_HOUR an hour (settings/base.py)."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from twinning.uploads import replace_file

from ..models import FileUpload, Partnership

WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def upload_store(
    *,
    partnership: Partnership,
    actor,
    instance: models.Model,
    field: str,
    upload,
    error_field: str,
) -> None:
    """Put `upload` in `instance`'s file field `field`, stored when the caller saves `instance`
    in this transaction; the file it replaces is deleted once that commits
    (twinning.uploads.replace_file). Beyond the partnership's uploads an hour, refused with an
    error on the form's `error_field` saying how long to wait.

    Counted under the partnership's lock, so two uploads at the same moment cannot both take
    the last place."""
    # Callers usually hold this lock already (agreement_record, evaluation_save); taking it
    # again in the same transaction costs nothing and keeps the count right for any other.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
    now = timezone.now()
    limit = settings.UPLOADS_PER_PARTNERSHIP_PER_HOUR
    recent = FileUpload.objects.filter(partnership=partnership, at__gt=now - WINDOW).aggregate(
        count=models.Count("pk"), first=models.Min("at")
    )
    if recent["count"] >= limit:
        minutes = max(1, math.ceil((recent["first"] + WINDOW - now).total_seconds() / 60))
        raise ValidationError({error_field: [
            ngettext(
                "Too many uploads for this partnership in the last hour (at most %(limit)d). "
                "Try again in %(minutes)d minute.",
                "Too many uploads for this partnership in the last hour (at most %(limit)d). "
                "Try again in %(minutes)d minutes.",
                minutes,
            ) % {"limit": limit, "minutes": minutes}
        ]})
    FileUpload.objects.create(partnership=partnership, user=actor, at=now)
    replace_file(instance, field, upload)
