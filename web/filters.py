"""The partnership list's filters as the web layer composes them: partnerships/' own
filters plus those that read higher apps (health, from evaluation/). The dashboards' links
land on this list with these filters in the URL, so every number drills down to the
partnerships behind it."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluation.models import Health
from partnerships import selectors as partnership_selectors
from partnerships import society
from partnerships.filters import PartnershipFilter
from partnerships.models import Partnership
from sections.filters import countries_with_sections
from sections.forms import SectionChoiceField
from sections.models import District
from twinning.filtering import StableOrderingFilter
from twinning.search import search

# The years a drill-down may name: as the award years, well around any data the society has.
FIRST_YEAR, LAST_YEAR = 2000, 2100
QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")


def quarter_url_value(start: datetime.date) -> str:
    """A quarter as the list's `quarter` filter reads it: "2025-Q3"."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


class QuarterField(forms.CharField):
    """A quarter written "2025-Q3", cleaned to its first day."""

    def to_python(self, value) -> datetime.date | None:
        value = super().to_python(value).strip()
        if not value:
            return None
        match = QUARTER.fullmatch(value)
        if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            raise ValidationError(_("Write a quarter as 2025-Q3."), code="invalid")
        return datetime.date(int(match[1]), 3 * int(match[2]) - 2, 1)


class QuarterFilter(django_filters.Filter):
    field_class = QuarterField


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _next_quarter(start: datetime.date) -> datetime.date:
    month = start.month + 3
    return datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


class TypedSectionFilter(django_filters.Filter):
    field_class = SectionChoiceField


class PartnershipHealthFilter(PartnershipFilter):
    """partnerships/' own filters and health: what a district dashboard's table offers."""

    health = django_filters.ChoiceFilter(
        choices=Health.choices, field_name="health_code", label=_("Health"), empty_label=_("Any health"),
    )


class PartnershipListFilter(PartnershipHealthFilter):
    # Title, the sections' names and the purpose, on the directory's engine (twinning.search).
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    # Typed, not picked (sections.forms.SectionChoiceField): a society has thousands of
    # sections. Links from a section's page carry its address name.
    section = TypedSectionFilter(
        field_name="participants__section", label=_("Section"), distinct=True,
        help_text=_("Type its name and pick it from the suggestions, or its address name, as in /sections/houston/."),
    )
    # The home page's "Waiting for you" in full (partnerships.selectors.waiting_for), among
    # the partnerships the list shows the user.
    waiting = django_filters.BooleanFilter(
        method="waiting_for_me", widget=forms.CheckboxInput, label=_("Waiting for me"),
    )
    # The society dashboard's drill-downs. Each field below narrows together with the
    # others of its group in filter_queryset, where it is applied.
    stage = django_filters.ChoiceFilter(
        choices=[(code, label) for code, (label, _statuses) in society.STAGES.items()],
        method="by_stage", label=_("Stage"), empty_label=_("Any stage"),
    )
    event = django_filters.ChoiceFilter(
        choices=[(event.code, event.label) for event in society.EVENTS.values()],
        method="applied_together", label=_("Step taken"), empty_label=_("Any step"),
    )
    quarter = QuarterFilter(
        method="applied_together", label=_("In the quarter"), help_text=_("As 2025-Q3."),
    )
    year = YearFilter(
        method="applied_together", label=_("In the year"), min_value=FIRST_YEAR, max_value=LAST_YEAR,
    )
    partner_district = django_filters.ModelChoiceFilter(
        queryset=District.objects.all(), to_field_name="code", method="applied_together",
        label=_("Twinned with the district"), empty_label=_("Any district"),
    )
    country = django_filters.ChoiceFilter(
        choices=[], method="applied_together", label=_("Country"), empty_label=_("Any country"),
    )
    partner_country = django_filters.ChoiceFilter(
        choices=[], method="applied_together", label=_("Twinned with the country"),
        empty_label=_("Any country"),
    )
    sort = StableOrderingFilter(
        then=("-updated_at", "-pk"),
        fields=(("updated_at", "updated"), ("health_rank", "health"), ("start_date", "start"), ("title", "title")),
        field_labels={
            "-updated": _("Recently changed"), "health": _("Health, worst first"),
            "-start": _("Newest start"), "title": _("Title"),
        },
        label=_("Sort by"), empty_label=_("Recently changed"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.move_to_end("q", last=False)
        present = countries_with_sections()
        for name in ("country", "partner_country"):
            self.filters[name].extra["choices"] = present

    def search(self, queryset: QuerySet[Partnership], name: str, value: str) -> QuerySet[Partnership]:
        # Not ranked: a word common to thousands of partnerships would rank them all.
        return search(queryset, value, near=("title",), ranked=False)

    def waiting_for_me(self, queryset: QuerySet[Partnership], name: str, value: bool) -> QuerySet[Partnership]:
        if not value or self.request is None:
            return queryset
        return queryset.filter(partnership_selectors.waiting_for(self.request.user))

    def by_stage(self, queryset: QuerySet[Partnership], name: str, value: str) -> QuerySet[Partnership]:
        return queryset.filter(status__in=society.STAGES[value][1])

    def applied_together(self, queryset: QuerySet[Partnership], name: str, value) -> QuerySet[Partnership]:
        """Left to filter_queryset: these fields describe one status change or one pair."""
        return queryset

    def filter_queryset(self, queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        event, quarter, year = data.get("event"), data.get("quarter"), data.get("year")
        if event or quarter or year is not None:
            start = end = None
            if quarter:
                start, end = quarter, _next_quarter(quarter)
            if year is not None:
                start = max(start or datetime.date.min, datetime.date(year, 1, 1))
                end = min(end or datetime.date.max, datetime.date(year + 1, 1, 1))
            queryset = society.with_event(queryset, event=event or None, start=start, end=end)
        # `district` alone is PartnershipFilter's; with a partner it names one side of a pair.
        for field, first, second in (
            ("district", data.get("district"), data.get("partner_district")),
            ("country", data.get("country"), data.get("partner_country")),
        ):
            if first and second:
                queryset = society.between(queryset, field=field, first=first, second=second)
            elif second or (first and field == "country"):
                queryset = queryset.filter(**{f"participants__section__{field}": first or second}).distinct()
        return queryset
