"""The society's leaderboard and a district's ranking: points per section for an award year,
summed in the database (one grouped query per page, whatever the number of sections).

A section's points for a year are the sum of its ledger entries for that award year:
earned entries, reversals (negative) and admins' adjustments alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.db.models import Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Participant, Status
from sections.models import District, Section
from twinning.paths import SLUG_MARK, path_of

from .models import EARLIEST_AWARD_YEAR, LATEST_AWARD_YEAR, LedgerEntry, PointRule, award_year_from

# The award years a page accepts; anything else falls back to the current year.
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_AWARD_YEAR, LATEST_AWARD_YEAR
ADJUSTMENTS = "adjustments"


def year_from(value) -> int:
    """The award year asked for in the query string, or the current one."""
    return award_year_from(value) or timezone.localdate().year


def award_years() -> list[int]:
    """The years from the first with points to the latest (and always the current one),
    newest first. Min and max read the award-year index; no scan of the ledger."""
    bounds = LedgerEntry.objects.aggregate(first=Min("award_year"), last=Max("award_year"))
    this_year = timezone.localdate().year
    first = min(bounds["first"] or this_year, this_year)
    last = max(bounds["last"] or this_year, this_year)
    return list(range(last, first - 1, -1))


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
    """The points of one column; `prefix` reaches the entries from another model."""
    if column.key == ADJUSTMENTS:
        condition = Q(**{f"{prefix}kind": LedgerEntry.Kind.ADJUSTMENT})
    else:
        condition = Q(**{f"{prefix}rule_id__in": column.rule_ids or [0]}) & ~Q(**{f"{prefix}kind": LedgerEntry.Kind.ADJUSTMENT})
    return Coalesce(Sum(f"{prefix}points", filter=condition), Value(0), output_field=IntegerField())


class LeaderboardFilter(django_filters.FilterSet):
    """Which sections' entries count: every value lives in the query string, so a filtered
    board can be shared. It filters the ledger by the entries' sections, so the ranking stays
    one grouped query on the ledger."""

    district = django_filters.ModelChoiceFilter(
        field_name="section__district",
        queryset=District.objects.order_by(Length("code"), "code"),
        to_field_name="code",
        empty_label=_("Any district"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="section__kind", choices=Section.Kind.choices, empty_label=_("Any kind")
    )
    maturity = django_filters.ChoiceFilter(
        field_name="section__maturity", choices=Section.Maturity.choices, empty_label=_("Any maturity")
    )
    # The year picks which entries count: the views read it (year_from) and filter on it;
    # it is here so the form shows it and a year out of range is reported like any filter.
    year = django_filters.NumberFilter(
        method="any_year", label=_("Award year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )

    class Meta:
        model = LedgerEntry
        fields = ["district", "kind", "maturity"]

    def any_year(self, qs: QuerySet[LedgerEntry], name: str, value) -> QuerySet[LedgerEntry]:
        return qs


@dataclass
class Row:
    """One section of the board: its points and, per column, the points under it."""

    section_id: int
    slug: str
    name: str
    kind: str
    maturity: str
    district_code: str
    district_name: str
    points: int
    breakdown: list[tuple[Column, int]]

    def get_kind_display(self) -> str:
        return str(Section.Kind(self.kind).label) if self.kind in Section.Kind.values else self.kind

    def get_maturity_display(self) -> str:
        return str(Section.Maturity(self.maturity).label) if self.maturity in Section.Maturity.values else self.maturity

    def get_absolute_url(self) -> str:
        return reverse("sections:detail", kwargs={"slug": self.slug})


def _key(column: Column) -> str:
    return f"points_{column.key.replace('-', '_')}"


def leaderboard(entries: QuerySet[LedgerEntry], *, year: int, columns: list[Column]) -> QuerySet:
    """The year's entries grouped by section, highest total first (ties by name), each row a
    dict with the section's few shown fields, `points` and a `points_<event>` per column.
    Grouping on the ledger with narrow keys, not on whole section rows, keeps it one cheap
    aggregate whatever the number of sections."""
    return (
        entries.filter(award_year=year)
        .values(
            "section_id", section_slug=F("section__slug"), section_name=F("section__name"),
            section_kind=F("section__kind"), section_maturity=F("section__maturity"),
            district_code=F("section__district__code"), district_name=F("section__district__name"),
        )
        .annotate(total=Sum("points"), **{_key(column): _column_sum(column) for column in columns})
        # Ties by section id, as the page's ranking (ranking_page), so both agree on ranks.
        .order_by("-total", "section_id")
    )


def rows_of(values, columns: list[Column]) -> list[Row]:
    return [
        Row(
            section_id=value["section_id"], slug=value["section_slug"], name=value["section_name"],
            kind=value["section_kind"], maturity=value["section_maturity"], district_code=value["district_code"],
            district_name=value["district_name"], points=value["total"], breakdown=[(column, value[_key(column)]) for column in columns],
        )
        for value in values
    ]


def ranking(entries: QuerySet[LedgerEntry], *, year: int) -> QuerySet:
    """(section_id, total) for the year, highest first: the one aggregate over the year's
    entries, as narrow as it can be (the breakdown is read for the shown page only)."""
    return (
        entries.filter(award_year=year).values("section_id").annotate(total=Sum("points")).order_by("-total", "section_id")
    )


def page_rows(ranked: list[dict], *, year: int, columns: list[Column]) -> list[Row]:
    """The shown page's rows: its sections and their breakdown, two small queries."""
    ids = [value["section_id"] for value in ranked]
    sections = Section.objects.filter(pk__in=ids).select_related("district").only(
        "slug", "name", "kind", "maturity", "district__code", "district__name"
    ).in_bulk()
    by_rule: dict[int, dict[str, int]] = {}
    event_of = {pk: column.key for column in columns for pk in column.rule_ids}
    sums = (
        LedgerEntry.objects.filter(award_year=year, section_id__in=ids)
        .values("section_id", "rule_id", "kind").annotate(total=Sum("points")).order_by()
    )
    for value in sums:
        key = ADJUSTMENTS if value["kind"] == LedgerEntry.Kind.ADJUSTMENT else event_of.get(value["rule_id"])
        if key is not None:
            own = by_rule.setdefault(value["section_id"], {})
            own[key] = own.get(key, 0) + value["total"]
    rows = []
    for value in ranked:
        section = sections[value["section_id"]]
        own = by_rule.get(section.pk, {})
        rows.append(Row(
            section_id=section.pk, slug=section.slug, name=section.name, kind=section.kind,
            maturity=section.maturity, district_code=section.district.code, district_name=section.district.name,
            points=value["total"], breakdown=[(column, own.get(column.key, 0)) for column in columns],
        ))
    return rows


def ranked_count(entries: QuerySet[LedgerEntry], *, year: int) -> int:
    """How many sections have entries in `year` (the award-year/section index answers it)."""
    return entries.filter(award_year=year).values("section_id").distinct().count()


def district_totals(entries: QuerySet[LedgerEntry], *, year: int) -> list[dict]:
    """Points and sections with points per district for `year`, highest first. Grouped by
    the district's id (one join, narrow keys), named from the districts afterwards: grouping
    by the district's code and name joined in costs twice as much (bench_leaderboard)."""
    sums = list(
        entries.filter(award_year=year)
        .values("section__district_id")
        .annotate(total=Sum("points"), sections=Count("section_id", distinct=True))
        .order_by()
    )
    names = dict(
        (pk, (code, name))
        for pk, code, name in District.objects.filter(pk__in=[row["section__district_id"] for row in sums])
        .values_list("pk", "code", "name")
    )
    totals = [
        {"code": names[row["section__district_id"]][0], "name": names[row["section__district_id"]][1],
         "total": row["total"], "sections": row["sections"]}
        for row in sums
    ]
    return sorted(totals, key=lambda row: (-row["total"], row["code"]))


def district_ranking(district: District, *, year: int) -> list[dict]:
    """Every section of the district, highest points for `year` first (0 without any): a dict
    of its `pk`, `name`, `slug`, `url`, `points`, its partnerships counted by status
    (`partnership_total`, `partnership_counts`: [(label, n)]) and its kind's and maturity's
    labels (`kind_label`, `maturity_label`). Two queries.

    Values, not sections: the page shows five of a section's twenty-six columns, and each of
    some 300 rows was a model instance built from them all. Each label is translated once for
    all rows (get_kind_display() rebuilt the choices for every call), and the sections' path
    reversed once (reverse() a row was a tenth of the page)."""
    sections = list(
        Section.objects.filter(district=district)
        .values("pk", "name", "slug", "kind", "maturity")
        .annotate(
            points=Coalesce(
                Sum("ledger_entries__points", filter=Q(ledger_entries__award_year=year)), Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-points", "name", "pk")
    )
    counts: dict[int, dict[str, int]] = {}
    # A section takes part in a partnership once (participant_once_per_partnership): its rows
    # count its partnerships, no DISTINCT needed. Counted by partnership_id, which the index
    # participant_by_section holds: by id, PostgreSQL read the whole participant table instead.
    rows = (
        Participant.objects.filter(section__district=district)
        .values_list("section_id", "partnership__status")
        .annotate(n=Count("partnership"))
        .order_by()
    )
    for section_id, status, n in rows:
        counts.setdefault(section_id, {})[status] = n
    labels = {status: str(label) for status, label in Status.choices}
    statuses = Status.values
    kinds = {kind: str(label) for kind, label in Section.Kind.choices}
    maturities = {maturity: str(label) for maturity, label in Section.Maturity.choices}
    section_path = path_of("sections:detail", slug=SLUG_MARK)
    for section in sections:
        own = counts.get(section["pk"], {})
        section["url"] = section_path(slug=section["slug"])
        section["partnership_total"] = sum(own.values())
        section["partnership_counts"] = [(labels[status], own[status]) for status in statuses if own.get(status)]
        section["kind_label"] = kinds.get(section["kind"], section["kind"])
        section["maturity_label"] = maturities.get(section["maturity"], section["maturity"])
    return sections
