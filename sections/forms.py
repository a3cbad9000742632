from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from django.contrib.auth import password_validation
from django.utils import timezone

from twinning.forms import SiteForm, SiteModelForm

from .models import Officer, Section
from .services import PROFILE_FIELDS, PROFILE_M2M_FIELDS


class SectionProfileForm(SiteModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Section
        fields = PROFILE_FIELDS + PROFILE_M2M_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "offers_notes": forms.Textarea(attrs={"rows": 3}),
            "needs_notes": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.CheckboxSelectMultiple,
            "offers_forms": forms.CheckboxSelectMultiple,
            "offers_topics": forms.CheckboxSelectMultiple,
            "needs_forms": forms.CheckboxSelectMultiple,
            "needs_topics": forms.CheckboxSelectMultiple,
            "working_languages": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "maturity": _(
                "Formative: newly formed or rebuilding. Developing: running regular "
                "activities. Established: long-standing with a steady programme."
            ),
            "seeking_partner": _(
                "Shows the section as seeking a partner in the section directory and the partner finder."
            ),
            "max_concurrent_partnerships": _(
                "Partner suggestions stop once the section runs this many partnerships."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Where you are"),
                "country",
                "city",
                "time_zone",
                Field("working_languages", wrapper_class="checkbox-columns"),
            ),
            Fieldset(
                _("About the section"), "description", "founded_year", "member_count", "maturity"
            ),
            Fieldset(_("Technical interests"), Field("interests", wrapper_class="checkbox-columns")),
            Fieldset(
                _("What you can offer a partner"),
                "offers_forms",
                Field("offers_topics", wrapper_class="checkbox-columns"),
                "offers_notes",
            ),
            Fieldset(
                _("What you hope to gain"),
                "needs_forms",
                Field("needs_topics", wrapper_class="checkbox-columns"),
                "needs_notes",
            ),
            Fieldset(
                _("Partnering and contact"),
                "seeking_partner",
                "max_concurrent_partnerships",
                "website",
                "contact_email",
            ),
            Submit("save", _("Save profile")),
        )



class InvitationForm(SiteForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Office"), choices=Officer.Role.choices)
    start_date = forms.DateField(
        label=_("Start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day in office; an invitation accepted later starts the office on the day it is accepted."),
    )


class InvitationAcceptForm(SiteForm):
    """A new account's name and password; the address is the invitation's."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data
