"""Checks on what users send: an uploaded file must be what its name says and not too large;
a single-line text (a title, a name) must hold no line break or control character."""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_BYTES = 10 * 1024 * 1024

# The first bytes each accepted type starts with, by file extension.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
_DOCUMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg")
_PHOTO_TYPES = (".png", ".jpg", ".jpeg")


def _validate_upload(upload, *, max_bytes: int, extensions: tuple[str, ...], wrong_type: str) -> None:
    """`upload` is at most `max_bytes`, named with one of `extensions`, and its first bytes are
    what that extension promises: a renamed file of another kind is refused."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in extensions:
        raise ValidationError(wrong_type, code="bad_type")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_SIGNATURES[extension]):
        raise ValidationError(
            _("The file's content is not a %(kind)s, although its name says so.")
            % {"kind": extension.lstrip(".").upper()},
            code="bad_content",
        )


def validate_signed_document(upload) -> None:
    """A PDF or an image (PNG, JPEG) of at most 10 MB, judged by its content as well as its name."""
    _validate_upload(
        upload, max_bytes=DOCUMENT_MAX_BYTES, extensions=_DOCUMENT_TYPES, wrong_type=_("Upload a PDF, PNG or JPEG file.")
    )


def validate_photo(upload) -> None:
    """A photo for a public page: PNG or JPEG of at most 10 MB, judged by its content as well
    as its name (the same checks as the signed agreement's)."""
    _validate_upload(
        upload, max_bytes=PHOTO_MAX_BYTES, extensions=_PHOTO_TYPES, wrong_type=_("Upload a PNG or JPEG photo.")
    )


# Line breaks and tabs a single-line value may be pasted with; each run becomes one space.
_LINE_BREAKS = re.compile(r"\s*[\r\n\t\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")


def single_line(value: str) -> str:
    """`value` on one line: surrounding whitespace stripped, each run of line breaks or tabs
    inside turned into one space. A title or a name ends up in mail subjects and CSV rows, where
    a line break would stop the mail (Django refuses a header with one) or split the row."""
    return _LINE_BREAKS.sub(" ", value).strip()


def validate_single_line(value: str) -> None:
    """Refuse any control character (line breaks included: `single_line` removes those first)."""
    bad = sorted({char for char in value if unicodedata.category(char) == "Cc"} | set(value) & {"\u2028", "\u2029"})
    if bad:
        raise ValidationError(
            _("Remove the control character %(chars)s; this field is a single line of text.")
            % {"chars": ", ".join(f"U+{ord(char):04X}" for char in bad)},
            code="control_character",
        )


# The widest integer column the site's databases hold (PostgreSQL's bigint, SQLite's INTEGER).
_DATABASE_INTEGERS = range(-(2**63), 2**63)


def fits_in_database(number: int) -> bool:
    """Whether `number` can be an id: SQLite fails with OverflowError on a larger one in a query."""
    return number in _DATABASE_INTEGERS


def database_id(text: str) -> int | None:
    """`text` as an id when it is one: ASCII digits only ("²" is a digit to str.isdigit but not
    to int) and within the database's integers; else None."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if fits_in_database(number) else None


def validate_time_zone(value: str) -> None:
    """A time zone by its IANA name ("Europe/Berlin"), as zoneinfo knows it."""
    if value and value not in available_time_zones():
        raise ValidationError(_("Choose a time zone from the list."), code="time_zone")


@functools.cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
