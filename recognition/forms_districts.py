"""The district page's form: a coordinator recognises one of the district's sections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sections.models import District, Section
from twinning.forms import SiteForm

from .leaderboard import EARLIEST_YEAR, LATEST_YEAR
from .models import DistrictRecognition


class DistrictRecognitionForm(SiteForm):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Section"), to_field_name="slug")
    year = forms.IntegerField(label=_("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)
    category = forms.ChoiceField(label=_("Category"), choices=DistrictRecognition.Category.choices)
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the district's own sections: another district's slug is "not one of the choices".
        # Read as narrow as the options (and the district the service checks): a district's 300
        # whole sections were read and built for these two of their twenty-six columns.
        self.fields["section"].queryset = (
            Section.objects.filter(district=district).only("slug", "name", "district").order_by("name")
        )
