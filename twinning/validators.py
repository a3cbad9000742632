"""Checks for uploaded files: the content must be what the name says, and not too large."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# The first bytes each accepted type starts with, by file extension.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def validate_signed_document(upload) -> None:
    """A PDF or an image (PNG, JPEG) of at most 10 MB, judged by its content as well as its name."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)},
            code="too_large",
        )
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    signatures = _SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(_("Upload a PDF, PNG or JPEG file."), code="bad_type")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ValidationError(
            _("The file's content is not a %(kind)s, although its name says so.")
            % {"kind": extension.lstrip(".").upper()},
            code="bad_content",
        )
