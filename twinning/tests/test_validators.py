"""The upload checks: a photo is a PNG or a JPEG by its content as well as its name, and not
too large; the signed agreement keeps accepting PDFs too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from twinning.validators import PHOTO_MAX_BYTES, validate_photo, validate_signed_document

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.4\n"


@pytest.mark.parametrize(("name", "content"), [("team.png", PNG), ("TEAM.JPG", JPEG), ("team.jpeg", JPEG)])
def test_a_png_or_jpeg_photo_passes(name, content):
    validate_photo(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("team.pdf", PDF, "bad_type"),
        ("team.gif", b"GIF89a", "bad_type"),
        ("team", PNG, "bad_type"),
        ("team.png", JPEG, "bad_content"),
        ("team.jpg", b"<svg/>", "bad_content"),
        ("team.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * PHOTO_MAX_BYTES, "too_large"),
    ],
)
def test_anything_else_is_refused_with_its_reason(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_photo(SimpleUploadedFile(name, content))

    assert refused.value.code == code


def test_the_signed_agreement_still_takes_a_pdf_and_refuses_a_renamed_file():
    validate_signed_document(SimpleUploadedFile("agreement.pdf", PDF))
    with pytest.raises(ValidationError):
        validate_signed_document(SimpleUploadedFile("agreement.pdf", PNG))
