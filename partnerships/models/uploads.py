"""A log of the files uploaded to each partnership, which its upload limit counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .partnership import Partnership


class FileUpload(models.Model):
    """One file stored for a partnership (a signed agreement, a story photo), by whom and when.
    `partnerships.services.upload_store` writes it and counts the last hour's."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="uploads",
        verbose_name=_("partnership"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("file upload")
        verbose_name_plural = _("file uploads")
        ordering = ["-at"]
        # upload_store counts one partnership's uploads since an hour ago.
        indexes = [models.Index(fields=["partnership", "at"], name="fileupload_partnership_at")]

    def __str__(self) -> str:
        return f"{self.partnership_id} at {self.at:%Y-%m-%d %H:%M}"
