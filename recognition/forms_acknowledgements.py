"""The form an officer fills to acknowledge a person (services.acknowledgements)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from sections.models import Section
from twinning.forms import OnceFormMixin, SiteModelForm

from .models import Acknowledgement

CONTRIBUTION_MAX = 5000


class AcknowledgementForm(OnceFormMixin, SiteModelForm):
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(), label=_("Acknowledging section"), empty_label=None,
        help_text=_("You sign for this section."),
    )

    class Meta:
        model = Acknowledgement
        fields = ["name", "email", "role", "contribution", "hours"]
        widgets = {"contribution": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "email": _("If given, the person gets an email with a link to their certificate."),
            "role": _("For example: exchange coordinator, mentor, speaker."),
        }

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        # An officer of a single participating section signs for it without being asked.
        if len(sections) == 1:
            self.fields["section"].initial = sections[0]
            self.fields["section"].widget = forms.HiddenInput()
        self.fields["contribution"].validators.append(MaxLengthValidator(CONTRIBUTION_MAX))
        self.fields["contribution"].widget.attrs["maxlength"] = CONTRIBUTION_MAX
        self.order_fields(["section", *self.Meta.fields])
        self.helper = FormHelper()
        self.helper.add_input(Submit("acknowledge", _("Acknowledge")))
