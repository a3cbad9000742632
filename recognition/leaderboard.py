"""The society's leaderboard and a district's ranking: points per section for an award year,
summed in the database (one grouped query per page, whatever the number of sections).

A section's points for a year are the sum of its ledger entries for that award year:
earned entries, reversals (negative) and admins' adjustments alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Participant, Status
from sections.models import District, Section

from .models import LedgerEntry, PointRule

# The award years a page accepts; anything else falls back to the current year.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ADJUSTMENTS = "adjustments"


def year_from(value) -> int:
    """The award year asked for in the query string, or the current one."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if EARLIEST_YEAR <= year <= LATEST_YEAR else timezone.localdate().year


def award_years() -> list[int]:
    """The years that have points, newest first, and always the current one."""
    years = set(LedgerEntry.objects.order_by().values_list("award_year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class Column:
    """One column of the breakdown: an event of the rules, or the admins' adjustments."""

    key: str
    label: str
    rule_ids: tuple[int, ...]


def breakdown_columns() -> list[Column]:
    """A column per rule event (every version of the rule counts in it), then adjustments.
    One query; the sums then filter on rule ids, so no join to the rules per row."""
    ids: dict[str, list[int]] = {event: [] for event in PointRule.Event.values}
    for pk, event in PointRule.objects.order_by().values_list("pk", "event"):
        ids.setdefault(event, []).append(pk)
    labels = dict(PointRule.Event.choices)
    columns = [Column(key=event, label=str(labels.get(event, event)), rule_ids=tuple(pks)) for event, pks in ids.items()]
    columns.append(Column(key=ADJUSTMENTS, label=str(_("Adjustments")), rule_ids=()))
    return columns


def _column_sum(column: Column, prefix: str = ""):
    if column.key == ADJUSTMENTS:
        condition = Q(**{f"{prefix}kind": LedgerEntry.Kind.ADJUSTMENT})
    else:
        condition = Q(**{f"{prefix}rule_id__in": column.rule_ids or [0]}) & ~Q(**{f"{prefix}kind": LedgerEntry.Kind.ADJUSTMENT})
    return Coalesce(Sum(f"{prefix}points", filter=condition), Value(0), output_field=IntegerField())


class LeaderboardFilter(django_filters.FilterSet):
    """Which sections: every value lives in the query string, so a filtered board can be shared."""

    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.order_by(Length("code"), "code"),
        to_field_name="code",
        empty_label=_("Any district"),
    )
    kind = django_filters.ChoiceFilter(choices=Section.Kind.choices, empty_label=_("Any kind"))
    maturity = django_filters.ChoiceFilter(choices=Section.Maturity.choices, empty_label=_("Any maturity"))
    # The year picks which entries count, not which sections: the views read it (year_from);
    # it is here so the form shows it and a year out of range is reported like any filter.
    year = django_filters.NumberFilter(
        method="any_year", label=_("Award year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )

    class Meta:
        model = Section
        fields = ["district", "kind", "maturity"]

    def any_year(self, qs: QuerySet[Section], name: str, value) -> QuerySet[Section]:
        return qs


def leaderboard(sections: QuerySet[Section], *, year: int, columns: list[Column]) -> QuerySet[Section]:
    """The sections with points in `year`, highest first, each with `points` and a
    `points_<event>` per column. Filtering on the entries before annotating makes the sums
    use that same join: only this year's entries count."""
    annotations = {f"points_{column.key.replace('-', '_')}": _column_sum(column, "ledger_entries__") for column in columns}
    return (
        sections.filter(ledger_entries__award_year=year)
        .annotate(points=Sum("ledger_entries__points"), **annotations)
        .select_related("district")
        .order_by("-points", "name", "pk")
    )


def district_totals(sections: QuerySet[Section], *, year: int) -> list[dict]:
    """Points and sections with points per district for `year`, highest first."""
    return list(
        LedgerEntry.objects.filter(award_year=year, section__in=sections.order_by().values("pk"))
        .values("section__district__code", "section__district__name")
        .annotate(points=Sum("points"), sections=Count("section", distinct=True))
        .order_by("-points", "section__district__code")
    )


def district_ranking(district: District, *, year: int) -> list[Section]:
    """Every section of the district, with its points for `year` (0 without any) and its
    partnerships counted by status (`partnership_counts`: [(label, n)]). Two queries."""
    sections = list(
        Section.objects.filter(district=district)
        .annotate(
            points=Coalesce(
                Sum("ledger_entries__points", filter=Q(ledger_entries__award_year=year)), Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-points", "name", "pk")
    )
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Participant.objects.filter(section__district=district)
        .values("section_id", "partnership__status")
        .annotate(n=Count("partnership", distinct=True))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["section_id"], {})[row["partnership__status"]] = row["n"]
    labels = dict(Status.choices)
    for section in sections:
        own = counts.get(section.pk, {})
        section.partnership_total = sum(own.values())
        section.partnership_counts = [(labels[status], own[status]) for status in Status.values if own.get(status)]
    return sections
