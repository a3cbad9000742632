from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField

from .finder import Criteria
from .models import District, Section, TwinningForm
from .services import PROFILE_FIELDS, PROFILE_M2M_FIELDS


class SectionProfileForm(forms.ModelForm):
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


class FinderFilterForm(forms.Form):
    """The finder's filters, read from the query string; an unknown value is dropped with a message."""

    form = forms.ModelChoiceField(
        queryset=TwinningForm.objects.all(), to_field_name="code", required=False,
        label=_("Form of twinning wanted"), empty_label=_("Any form"),
    )
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Section.Kind.choices], required=False, label=_("Kind"))
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), to_field_name="code", required=False,
        label=_("District"), empty_label=_("Any district"),
    )
    country = CountryField(blank=True).formfield(required=False, label=_("Country"))
    min_score = forms.IntegerField(min_value=0, max_value=100, required=False, label=_("Lowest score"))
    same_country = forms.BooleanField(required=False, label=_("Include sections in our own country"))

    def criteria(self) -> Criteria:
        data = self.cleaned_data if self.is_bound else {}
        district = data.get("district")
        return Criteria(
            form=data.get("form"),
            kind=data.get("kind") or "",
            district_id=district.pk if district else None,
            country=data.get("country") or "",
            min_score=data.get("min_score") or 0,
            same_country=bool(data.get("same_country")),
        )

    def clean(self):
        # Drop what was not understood and keep the rest, so a stale link still works.
        data = super().clean()
        for name in list(self.errors):
            self.dropped.append(self.fields[name].label)
            del self._errors[name]
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropped: list[str] = []
        self.fields["country"].choices = [("", _("Any country")), *list(self.fields["country"].choices)[1:]]
