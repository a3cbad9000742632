"""The lessons library's filters. Every value lives in the query string, so a search can be
shared and bookmarked; a value that is not understood is left out with a message, never
an error page."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sections.models import District, Section, TwinningForm

from .models import ChallengeCategory, Lesson
from .selectors.lessons import Sort, lessons_search

# Long enough for any real question; a longer one is refused as a field error.
SEARCH_MAX_LENGTH = 200

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Best match")),
    (Sort.NEWEST, _("Newest")),
    (Sort.HELPFUL, _("Most helpful")),
]


def _region_choices() -> list[tuple[str, str]]:
    regions = District.objects.order_by("region").values_list("region", flat=True).distinct()
    return [(region, region) for region in regions if region]


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="keep", label=_("Search"), max_length=SEARCH_MAX_LENGTH,
        help_text=_('Words from the lesson; "quoted phrases" and -word work too.'),
    )
    form = django_filters.ModelChoiceFilter(
        field_name="forms", queryset=TwinningForm.objects.all(), to_field_name="code",
        label=_("Form of twinning"), empty_label=_("Any form"),
    )
    challenge = django_filters.ModelChoiceFilter(
        field_name="challenges", queryset=ChallengeCategory.objects.all(), to_field_name="code",
        label=_("Challenge"), empty_label=_("Any challenge"),
    )
    region = django_filters.ChoiceFilter(
        choices=_region_choices, method="tagged", label=_("Region"), empty_label=_("Any region"),
    )
    maturity = django_filters.ChoiceFilter(
        choices=Section.Maturity.choices, method="tagged", label=_("Section maturity"),
        empty_label=_("Any maturity"),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="keep", label=_("Sort by"), empty_label=_("Best match, or newest"),
    )

    class Meta:
        model = Lesson
        fields: list[str] = []

    def keep(self, qs: QuerySet[Lesson], name: str, value) -> QuerySet[Lesson]:
        # The search and the order are applied together, after the filters (filter_queryset).
        return qs

    def tagged(self, qs: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        return qs.filter(**{f"{name}_tags__contains": f"|{value}|"})

    def filter_queryset(self, queryset: QuerySet[Lesson]) -> QuerySet[Lesson]:
        filtered = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return lessons_search(filtered, data.get("q"), data.get("sort"))
