"""Pages of recognition/ (leaderboard): sections ranked by points per award year, filtered by
district, kind and maturity, with the points by rule, district totals and a CSV export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from sections.models import Section

from ..leaderboard import LeaderboardFilter, award_years, breakdown_columns, district_totals, leaderboard, year_from

PAGE_SIZE = 25
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A cell as text, with a leading quote when a spreadsheet would take it for a formula.
    Numbers (negative totals too) stay numbers."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _board(request: HttpRequest):
    section_filter = LeaderboardFilter(request.GET or None, queryset=Section.objects.all())
    # An unknown district or kind is left out, with a warning, rather than failing the page.
    sections = section_filter.qs if not section_filter.is_bound or section_filter.is_valid() else Section.objects.all()
    year = year_from(request.GET.get("year"))
    columns = breakdown_columns()
    return section_filter, sections, year, columns


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return board_csv(request)
    section_filter, sections, year, columns = _board(request)
    if section_filter.is_bound and not section_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    page = Paginator(leaderboard(sections, year=year, columns=columns), PAGE_SIZE).get_page(request.GET.get("page"))
    keys = [f"points_{column.key.replace('-', '_')}" for column in columns]
    rows = [
        {"rank": page.start_index() + i, "section": section,
         "breakdown": [(column, getattr(section, key)) for column, key in zip(columns, keys, strict=True)]}
        for i, section in enumerate(page.object_list)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "recognition/leaderboard.html",
        {
            "filter": section_filter,
            "year": year,
            "years": award_years(),
            "columns": columns,
            "page": page,
            "rows": rows,
            "districts": district_totals(sections, year=year),
            "query": query.urlencode(),
        },
    )


@login_required
def board_csv(request: HttpRequest) -> HttpResponse:
    """Every ranked section of the board as filtered, one row each, streamed from one query."""
    _filter, sections, year, columns = _board(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leaderboard-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Rank"), _("Section"), _("District"), _("Kind"), _("Maturity"), _("Award year"), _("Points"),
                     *[column.label for column in columns]])
    keys = [f"points_{column.key.replace('-', '_')}" for column in columns]
    for rank, section in enumerate(leaderboard(sections, year=year, columns=columns).iterator(), start=1):
        writer.writerow([_cell(value) for value in [
            rank, section.name, section.district.code, section.get_kind_display(), section.get_maturity_display(),
            year, section.points, *[getattr(section, key) for key in keys],
        ]])
    return response


urlpatterns = [
    path("leaderboard/", board, name="leaderboard"),
    path("leaderboard.csv", board_csv, name="leaderboard_csv"),
]
