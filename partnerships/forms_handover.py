"""The handover note form (partnerships/views/handover.py)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.forms import SiteForm

from .models import HandoverNote

NOTE_MAX_LENGTH = HandoverNote._meta.get_field("text").max_length


class HandoverNoteForm(SiteForm):
    text = forms.CharField(
        label=_("Handover note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For whoever leads for your section next: where things stand, who the contacts are, "
            "what is promised. Leave it empty to remove the note."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the note")))
