"""The directory's filters: every value lives in the query string, so a filtered list can be shared."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import District, Section, TechnicalInterest, TwinningForm


def _countries_with_sections() -> list[tuple[str, str]]:
    present = set(Section.objects.values_list("country", flat=True).distinct())
    return [(code, name) for code, name in countries if code in present]


class SectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", empty_label=_("Any district")
    )
    country = django_filters.ChoiceFilter(choices=_countries_with_sections, empty_label=_("Any country"))
    kind = django_filters.ChoiceFilter(choices=Section.Kind.choices, empty_label=_("Any kind"))
    maturity = django_filters.ChoiceFilter(
        choices=Section.Maturity.choices, empty_label=_("Any maturity")
    )
    interest = django_filters.ModelChoiceFilter(
        field_name="interests",
        queryset=TechnicalInterest.objects.all(),
        to_field_name="slug",
        label=_("Technical interest"),
        empty_label=_("Any interest"),
    )
    offers = django_filters.ModelChoiceFilter(
        field_name="offers_forms",
        queryset=TwinningForm.objects.all(),
        to_field_name="code",
        label=_("Offers"),
        empty_label=_("Offers anything"),
    )
    needs = django_filters.ModelChoiceFilter(
        field_name="needs_forms",
        queryset=TwinningForm.objects.all(),
        to_field_name="code",
        label=_("Needs"),
        empty_label=_("Needs anything"),
    )
    seeking = django_filters.BooleanFilter(
        field_name="seeking_partner",
        label=_("Seeking a partner"),
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("country", "country"),
            ("city", "city"),
            ("member_count", "members"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "country": _("Country"),
            "city": _("City"),
            "member_count": _("Members"),
            "updated_at": _("Recently updated"),
        },
        label=_("Sort by"),
        empty_label=_("Name"),
    )

    class Meta:
        model = Section
        fields: list[str] = []

    def search(self, queryset: QuerySet[Section], name: str, value: str) -> QuerySet[Section]:
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(city__icontains=word))
        return queryset
