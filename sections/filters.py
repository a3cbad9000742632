"""The directory's filters: every value lives in the query string, so a filtered list can be shared."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from twinning.filtering import StableOrderingFilter
from twinning.forms import filterable
from twinning.search import search

from .models import District, ReadinessVerdict, Section, TechnicalInterest, TwinningForm


# The distinct countries by a walk down the country index, one probe per country (a "loose
# index scan"): a society has some sixty countries but thousands of sections, and SELECT
# DISTINCT reads every section on each page that offers a country filter.
COUNTRIES_PRESENT_SQL = """
WITH RECURSIVE present(country) AS (
    (SELECT country FROM sections_section ORDER BY country LIMIT 1)
    UNION ALL
    SELECT (SELECT s.country FROM sections_section s WHERE s.country > present.country ORDER BY s.country LIMIT 1)
    FROM present WHERE present.country IS NOT NULL
)
SELECT country FROM present WHERE country IS NOT NULL
"""


def countries_with_sections() -> list[tuple[str, str]]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(COUNTRIES_PRESENT_SQL)
            present = {row[0] for row in cursor.fetchall()}
    else:
        present = set(Section.objects.order_by().values_list("country", flat=True).distinct())
    return [(code, name) for code, name in countries if code in present]


class SectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    district = django_filters.ModelChoiceFilter(
        # By code length, then code: d1, d4, d12 rather than d1, d12, d4.
        queryset=District.objects.order_by(Length("code"), "code"),
        to_field_name="code",
        empty_label=_("Any district"),
    )
    country = django_filters.ChoiceFilter(
        choices=countries_with_sections, empty_label=_("Any country"), widget=forms.Select(attrs=filterable()),
    )
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
    offers_topic = django_filters.ModelChoiceFilter(
        field_name="offers_topics",
        queryset=TechnicalInterest.objects.all(),
        to_field_name="slug",
        label=_("Offers the topic"),
        empty_label=_("Any topic"),
    )
    needs_topic = django_filters.ModelChoiceFilter(
        field_name="needs_topics",
        queryset=TechnicalInterest.objects.all(),
        to_field_name="slug",
        label=_("Needs the topic"),
        empty_label=_("Any topic"),
    )
    readiness = django_filters.ChoiceFilter(
        field_name="readiness_verdict",
        choices=ReadinessVerdict.choices,
        label=_("Latest readiness"),
        empty_label=_("Any readiness"),
    )
    # Whether the section has judged its readiness at all: the society dashboard's readiness
    # coverage links here.
    assessed = django_filters.BooleanFilter(
        field_name="readiness_verdict",
        method="by_assessed",
        label=_("Readiness assessed"),
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    seeking = django_filters.BooleanFilter(
        field_name="seeking_partner",
        label=_("Seeking a partner"),
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    sort = StableOrderingFilter(
        then=("name", "pk"),
        fields=(
            ("name", "name"),
            ("city", "city"),
            ("member_count", "members"),
            ("updated_at", "updated"),
        ),
        # Only the orders worth offering, each labelled for what it shows. None chosen: the
        # best matches first when searching (then by name), else by name.
        choices=[
            ("name", _("Name")),
            ("city", _("City")),
            ("-members", _("Most members")),
            ("members", _("Fewest members")),
            ("-updated", _("Recently updated")),
        ],
        label=_("Sort by"),
        empty_label=_("Best match"),
    )

    class Meta:
        model = Section
        fields: list[str] = []

    def by_assessed(self, queryset: QuerySet[Section], name: str, value: bool) -> QuerySet[Section]:
        return queryset.exclude(readiness_verdict="") if value else queryset.filter(readiness_verdict="")

    def search(self, queryset: QuerySet[Section], name: str, value: str) -> QuerySet[Section]:
        """Name, city, country, interests, offers and needs, accents and case aside; a
        mistyped name or city comes close enough on PostgreSQL (twinning.search)."""
        return search(queryset, value, near=("name", "city"), then=("name", "pk"))
