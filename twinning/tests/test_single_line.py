"""Single-line text (titles, names, signatories): line breaks and tabs become one space, any
other control character is a field error, on the site's forms and the user admin's."""

from __future__ import annotations

import pytest
from django import forms

from twinning.admin import UserCreationForm
from twinning.forms import SiteForm


class _Form(SiteForm):
    title = forms.CharField(max_length=20)
    story = forms.CharField(widget=forms.Textarea, required=False)
    email = forms.EmailField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"] = forms.CharField(required=False)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("  Alpha and Beta ", "Alpha and Beta"),
        ("Alpha\r\nand\tBeta", "Alpha and Beta"),
        ("Alpha \r\n\r\n  and Beta\n", "Alpha and Beta"),
        ("Alpha\u2028Beta", "Alpha Beta"),
    ],
)
def test_line_breaks_and_tabs_become_one_space(sent, kept):
    form = _Form(data={"title": sent, "signed_by": sent})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["title"], form.cleaned_data["signed_by"]) == (kept, kept)


@pytest.mark.parametrize("bad", ["Ann\x00Smith", "Ann\x07Smith", "Ann\x1b[31mSmith", "Ann\x7f"])
def test_a_control_character_is_a_field_error(bad):
    form = _Form(data={"title": bad, "signed_by": bad})
    assert not form.is_valid()
    assert set(form.errors) == {"title", "signed_by"}


def test_a_textarea_keeps_its_line_breaks():
    form = _Form(data={"title": "Alpha", "story": "One\r\nTwo"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["story"] == "One\r\nTwo"


def test_the_title_still_counts_its_length_after_the_spaces_are_joined():
    assert not _Form(data={"title": "x" * 21}).is_valid()


@pytest.mark.django_db
def test_the_user_admin_keeps_a_full_name_on_one_line_and_refuses_control_characters():
    data = {"email": "ann@example.org", "password1": "a long enough pass phrase", "password2": "a long enough pass phrase"}
    form = UserCreationForm(data={**data, "full_name": "Ann\r\nSmith"})
    assert form.is_valid(), form.errors
    assert form.save().full_name == "Ann Smith"
    refused = UserCreationForm(data={**data, "email": "bob@example.org", "full_name": "Bob\x0eSmith"})
    assert not refused.is_valid()
    assert "control character" in str(refused.errors["full_name"])
