from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sections.models import District, Section, TwinningForm
from twinning.forms import filterable

from .models import Partnership, Status


class PartnershipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label=_("Any status"))
    form = django_filters.ModelChoiceFilter(
        field_name="forms", queryset=TwinningForm.objects.all(), to_field_name="code",
        label=_("Form of twinning"), empty_label=_("Any form"),
    )
    district = django_filters.ModelChoiceFilter(
        field_name="participants__section__district", queryset=District.objects.all(),
        to_field_name="code", label=_("District"), empty_label=_("Any district"), distinct=True,
    )
    section = django_filters.ModelChoiceFilter(
        field_name="participants__section", queryset=Section.objects.all(),
        to_field_name="slug", label=_("Section"), empty_label=_("Any section"), distinct=True,
        widget=forms.Select(attrs=filterable()),
    )

    class Meta:
        model = Partnership
        fields: list[str] = []
