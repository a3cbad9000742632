"""Forms of the award nomination pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sections.models import Section
from twinning.forms import SiteForm


class StartForm(SiteForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Section"))

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own sections: another pk is a field error, never someone else's nomination.
        self.fields["section"].queryset = sections


class NarrativeForm(SiteForm):
    narrative = forms.CharField(
        label=_("Why this section deserves the award"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What your section achieved in twinning this year, for whom, and what it changed."),
    )


class ReviewForm(SiteForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("forward", _("Forward to the society")), ("return", _("Return to the section"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return the nomination: say what to change."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what the section should change before it submits again."))
        return data


class DecideForm(SiteForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("awarded", _("Award")), ("not-awarded", _("Do not award"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}))
