"""Uploaded files, the same way for every file field: whether the stored file is still there,
replacing one without leaving the old behind, and serving one safely.

The storage is whatever STORAGES["default"] names (the local disk in development, an
S3-compatible object store in production: settings/storage.py); nothing here depends on which.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

# The browser saves the file and never runs anything in it: no script, no form, no plugin,
# even when a crafted PDF or image is opened from the downloads.
DOCUMENT_POLICY = "default-src 'none'; sandbox"


def file_exists(fieldfile: FieldFile | None) -> bool:
    """A file is named and its storage still holds it (an object store can lose one a
    database restore still names; a disk can be wiped)."""
    return bool(fieldfile) and fieldfile.storage.exists(fieldfile.name)


def delete_on_commit(instance: Model, field: str, old_name: str) -> None:
    """Delete the stored file `old_name` once the transaction commits, unless `instance`'s
    field names it again by then; a rolled-back change keeps it."""
    storage = instance._meta.get_field(field).storage

    def delete_old() -> None:
        if getattr(instance, field).name == old_name:
            return
        try:
            storage.delete(old_name)
        except Exception:
            # What the database names is saved; a copy left behind costs space, not data.
            logger.exception("Could not delete the replaced file %s", old_name)

    transaction.on_commit(delete_old)


def replace_file(instance: Model, field: str, upload) -> None:
    """Put `upload` in `instance`'s file field `field` (stored when the instance is saved) and
    delete the file it replaces once the transaction commits, so replacing a document leaves
    no copy behind, and a rolled-back replacement keeps the old one."""
    old_name = getattr(instance, field).name or ""
    setattr(instance, field, upload)
    if old_name:
        delete_on_commit(instance, field, old_name)


def discard_file(instance: Model, field: str) -> None:
    """Empty `instance`'s file field `field` (saved by the caller) and delete its file once the
    transaction commits: a proposed document nobody adopted leaves nothing behind."""
    old_name = getattr(instance, field).name or ""
    setattr(instance, field, "")
    if old_name:
        delete_on_commit(instance, field, old_name)


def serve_file(
    request: HttpRequest,
    fieldfile: FieldFile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    as_attachment: bool = True,
    back_url: str | None = None,
) -> HttpResponse:
    """The stored file as a response the browser saves (or, `as_attachment=False`, shows
    as the `content_type` given: a story's photo in its page), typed as given and never
    sniffed, sandboxed by its own Content-Security-Policy.

    A file the database names but the storage no longer holds answers the "document is
    missing, upload it again" page (404), linking to `back_url`."""
    try:
        if not fieldfile:
            raise FileNotFoundError
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        return render(request, "twinning/document_missing.html", {"back_url": back_url}, status=404)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=filename or fieldfile.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_POLICY
    return response


def attachment(
    request: HttpRequest, fieldfile: FieldFile, *, filename: str | None = None, back_url: str | None = None
) -> HttpResponse:
    """The stored document as a download (Content-Disposition: attachment), or the "document
    is missing" page (404)."""
    return serve_file(request, fieldfile, filename=filename, back_url=back_url, as_attachment=True)
