"""The district page's form: a coordinator recognises one of the district's sections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sections.models import District, Section
from twinning.forms import ListedChoiceIterator, SiteForm

from .leaderboard import EARLIEST_YEAR, LATEST_YEAR
from .models import DistrictRecognition


class SectionChoices(ListedChoiceIterator):
    """The options as the sections' slugs and names (their label: Section.__str__), read alone:
    a district's 300 sections were each built whole, twenty-six columns, to write these two.
    The chosen one is still read whole (ModelChoiceField.to_python), for the service."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("slug", "name")


class DistrictRecognitionForm(SiteForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Section"), to_field_name="slug")
    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    category = forms.ChoiceField(label=_("Category"), choices=DistrictRecognition.Category.choices)
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the district's own sections: another district's slug is "not one of the choices".
        section = self.fields["section"]
        section.iterator = SectionChoices
        section.queryset = Section.objects.filter(district=district).order_by("name")
