from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.forms import SiteModelForm

from .models import Section
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

