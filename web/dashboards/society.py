"""The society dashboard (/dashboard/society/), for society admins: every district side by
side, the lifecycle's trends per quarter, the forms of twinning per year and the twinning
network, each table exported as CSV with the same numbers.

Every number links to the list behind it: the partnership list with the filters that
select exactly the partnerships counted (web/filters.py), or the section directory. The
page reads each app through its society selectors, a fixed number of queries in all.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from evaluation.models import Health
from evaluation.selectors import society as evaluation_society
from partnerships import society as partnership_society
from sections.models import District, TwinningForm
from twinning import charts
from twinning.exports import csv_response

from ..access import dashboard_access
from ..filters import quarter_url_value
from .network import Network, draw_network

TOP_COUNTRY_PAIRS = 25
# How long the society's figures are kept before they are counted again.
SNAPSHOT_SECONDS = 10 * 60


@dataclass(frozen=True)
class Cell:
    value: int | float | None
    link: str | None = None

    @property
    def shown(self) -> str:
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return f"{number_format(self.value, decimal_pos=1)} %"
        return str(self.value)


@dataclass(frozen=True)
class DistrictRow:
    district: District
    link: str
    stages: list[Cell]
    health: list[Cell]
    checkins_due: int
    checkins_on_time: Cell
    sections: int
    twinning: Cell
    assessed: Cell


@dataclass(frozen=True)
class PairRow:
    first_code: str
    first_name: str
    second_code: str
    second_name: str
    partnerships: Cell


@functools.lru_cache(maxsize=32)
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def _url(name: str) -> str:
    # The figures hold some six hundred links to the same two lists: reversing each one again
    # took a tenth of the computing outside the database.
    return _reversed(name, get_script_prefix(), get_urlconf())


def _partnerships(**filters) -> str:
    return f"{_url('partnerships:list')}?{urlencode(filters)}"


def _sections(**filters) -> str:
    return f"{_url('sections:directory')}?{urlencode(filters)}"


def _districts() -> list[District]:
    return list(District.objects.order_by("code"))


def district_rows(*, today: datetime.date) -> list[DistrictRow]:
    """One row per district, the partnerships of its sections by stage and health, its
    check-ins on time and its sections in twinning and assessed; five queries."""
    by_status = partnership_society.partnerships_by_district_and_status()
    by_health = evaluation_society.active_health_by_district()
    on_time = evaluation_society.checkins_on_time_by_district(today=today)
    sections = partnership_society.sections_by_district()
    rows = []
    for district in _districts():
        code, counts = district.code, sections.get(district.pk, partnership_society.SectionCounts(0, 0, 0))
        checkins = on_time.get(district.pk, evaluation_society.OnTimeTotal(0, 0))
        rows.append(DistrictRow(
            district=district,
            link=f"{_url('dashboard')}?{urlencode({'district': code})}",
            stages=[
                Cell(sum(by_status.get((district.pk, status), 0) for status in statuses),
                     _partnerships(district=code, stage=stage))
                for stage, (_label, statuses) in partnership_society.STAGES.items()
            ],
            health=[
                Cell(by_health.get((district.pk, health), 0), _partnerships(district=code, health=health))
                for health in Health.values
            ],
            checkins_due=checkins.due,
            checkins_on_time=Cell(charts.percent(checkins.on_time, checkins.due)),
            sections=counts.sections,
            # The sections counted take part in the active partnerships listed there.
            twinning=Cell(
                charts.percent(counts.twinning, counts.sections), _partnerships(district=code, status="active"),
            ),
            assessed=Cell(charts.percent(counts.assessed, counts.sections), _sections(district=code, assessed="true")),
        ))
    return rows


def _quarters(today: datetime.date, counts: dict) -> list[datetime.date]:
    if not counts:
        return []
    return charts.quarters_between(min(quarter for quarter, _event in counts), today)


def trends(*, today: datetime.date) -> tuple[list[str], list[charts.Series]]:
    """Partnerships proposed, activated, completed and ended early per quarter, from the
    first recorded to today's; one query."""
    counts = partnership_society.events_by_quarter()
    quarters = _quarters(today, counts)
    series = [
        charts.Series(
            name=str(event.label),
            values=[counts.get((quarter, code), 0) for quarter in quarters],
            links=[_partnerships(event=code, quarter=quarter_url_value(quarter)) for quarter in quarters],
        )
        for code, event in partnership_society.EVENTS.items()
    ]
    return [charts.quarter_of(quarter) for quarter in quarters], series


def forms_mix() -> tuple[list[str], list[charts.Series]]:
    """Partnerships activated per year by form of twinning; two queries."""
    counts = partnership_society.activated_by_year_and_form()
    years = list(range(min(year for year, _form in counts), max(year for year, _form in counts) + 1)) if counts else []
    series = [
        charts.Series(
            name=form.translated.name,
            values=[counts.get((year, form.code), 0) for year in years],
            links=[_partnerships(event="activated", year=year, form=form.code) for year in years],
        )
        for form in TwinningForm.objects.order_by("position", "name")
    ]
    return [str(year) for year in years], series


def network(districts: list[District]) -> tuple[list[PairRow], Network]:
    """The pairs of `districts` twinned with each other and their drawing; one query."""
    by_id = {district.pk: district for district in districts}
    rows, drawn = [], []
    for pair in partnership_society.district_pairs():
        first, second = by_id[pair.first], by_id[pair.second]
        rows.append(PairRow(
            first_code=first.code, first_name=first.name, second_code=second.code, second_name=second.name,
            partnerships=Cell(pair.partnerships, _partnerships(district=first.code, partner_district=second.code)),
        ))
        drawn.append((first.code, second.code, pair.partnerships))
    return rows, draw_network([district.code for district in districts], drawn)


def country_rows() -> list[PairRow]:
    """The TOP_COUNTRY_PAIRS pairs of countries with the most partnerships; one query."""
    return [
        PairRow(
            first_code=pair.first, first_name=countries.name(pair.first), second_code=pair.second,
            second_name=countries.name(pair.second),
            partnerships=Cell(pair.partnerships, _partnerships(country=pair.first, partner_country=pair.second)),
        )
        for pair in partnership_society.country_pairs()[:TOP_COUNTRY_PAIRS]
    ]


def _may_see_society(request: HttpRequest) -> None:
    if not dashboard_access(request.user).may_see_society:
        raise Http404("No society dashboard for this user.")


@dataclass(frozen=True)
class Figures:
    """Everything the society dashboard counts, as of `taken_at`."""

    taken_at: datetime.datetime
    districts: list[DistrictRow]
    pairs: list[PairRow]
    drawing: Network
    quarters: list[str]
    steps: list[charts.Series]
    years: list[str]
    forms: list[charts.Series]
    country_pairs: list[PairRow]


def figures(*, today: datetime.date) -> Figures:
    """The society's figures, kept SNAPSHOT_SECONDS in the cache (per day and language).

    Each figure aggregates every partnership, check-in and section of the society: about
    half a second of database work at 20,000 partnerships, for numbers that move by a few a
    day. Admins reading them a few minutes old lose nothing; the page says when they were
    taken, and its CSV downloads are written from the same snapshot (society_export)."""
    key = f"society-dashboard:{today.isoformat()}:{get_language()}"
    snapshot = cache.get(key)
    if snapshot is None:
        districts = district_rows(today=today)
        pairs, drawing = network([row.district for row in districts])
        quarters, steps = trends(today=today)
        years, forms = forms_mix()
        snapshot = Figures(
            taken_at=timezone.now(), districts=districts, pairs=pairs, drawing=drawing, quarters=quarters,
            steps=steps, years=years, forms=forms, country_pairs=country_rows(),
        )
        cache.set(key, snapshot, SNAPSHOT_SECONDS)
    return snapshot


@login_required
@require_safe
def society_dashboard(request: HttpRequest) -> HttpResponse:
    _may_see_society(request)
    snapshot = figures(today=timezone.localdate())
    return render(request, "web/dashboard_society.html", {
        "taken_at": snapshot.taken_at,
        "snapshot_key": snapshot.taken_at.isoformat(),
        "snapshot_seconds": SNAPSHOT_SECONDS,
        "snapshot_minutes": SNAPSHOT_SECONDS // 60,
        "districts": snapshot.districts,
        "stage_labels": [label for label, _statuses in partnership_society.STAGES.values()],
        "health_labels": Health.labels,
        "trends": charts.line_chart(
            title=_("Partnerships by step and quarter"), categories=snapshot.quarters, series=snapshot.steps,
            id="trends-chart", x_label=_("Quarter"), y_label=_("Partnerships"),
        ),
        "forms": charts.bar_chart(
            title=_("Partnerships started per year, by form of twinning"), categories=snapshot.years,
            series=snapshot.forms, id="forms-chart", x_label=_("Year started"), y_label=_("Partnerships started"),
        ),
        "pairs": snapshot.pairs,
        "network": snapshot.drawing,
        "country_pairs": snapshot.country_pairs,
    })


# CSV: each table from the snapshot the page shows, so a download holds exactly the numbers
# beside its button (a count afresh could differ from them, and cost the page's half second).

def _districts_csv(snapshot: Figures) -> tuple[list, list]:
    header = [
        _("District code"), _("District"),
        *[label for label, _statuses in partnership_society.STAGES.values()],
        *[_("Active, %(health)s") % {"health": label} for label in Health.labels],
        _("Check-ins due"), _("Check-ins on time (%)"), _("Sections"),
        _("Sections in an active partnership (%)"), _("Sections with a readiness verdict (%)"),
    ]
    rows = [
        [
            row.district.code, row.district.name, *[cell.value for cell in row.stages],
            *[cell.value for cell in row.health], row.checkins_due, row.checkins_on_time.value, row.sections,
            row.twinning.value, row.assessed.value,
        ]
        for row in snapshot.districts
    ]
    return header, rows


def _series_csv(first: str, categories: list[str], series: list[charts.Series]) -> tuple[list, list]:
    header = [first, *[one.name for one in series]]
    return header, [[category, *[one.values[index] for one in series]] for index, category in enumerate(categories)]


def _pairs_csv(rows: list[PairRow], header: list[str]) -> tuple[list, list]:
    return [*header, _("Partnerships")], [
        [row.first_code, row.first_name, row.second_code, row.second_name, row.partnerships.value] for row in rows
    ]


EXPORTS = {
    "districts": _districts_csv,
    "trends": lambda snapshot: _series_csv(_("Quarter"), snapshot.quarters, snapshot.steps),
    "forms": lambda snapshot: _series_csv(_("Year"), snapshot.years, snapshot.forms),
    "network": lambda snapshot: _pairs_csv(
        snapshot.pairs, [_("District A code"), _("District A"), _("District B code"), _("District B")],
    ),
    "countries": lambda snapshot: _pairs_csv(
        snapshot.country_pairs, [_("Country A code"), _("Country A"), _("Country B code"), _("Country B")],
    ),
}


@login_required
@require_safe
def society_export(request: HttpRequest, table: str) -> HttpResponse:
    _may_see_society(request)
    export = EXPORTS.get(table)
    if export is None:
        raise Http404("No such table.")
    snapshot = figures(today=timezone.localdate())
    header, rows = export(snapshot)
    # The snapshot's time in the name: a download says which figures it holds, as the page does.
    taken_at = timezone.localtime(snapshot.taken_at)
    return csv_response(f"society-{table}-{taken_at:%Y-%m-%d-%H%M}", header, rows)
