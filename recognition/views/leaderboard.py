"""Pages of recognition/ (leaderboard): sections ranked by points per award year, filtered by
district, kind and maturity, with the points by rule, district totals and a CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from twinning.exports import csv_response

from ..leaderboard import (
    LeaderboardFilter, award_years, breakdown_columns, district_totals, leaderboard, page_rows, ranked_count, ranking,
    rows_of, year_from,
)
from ..models import LedgerEntry

PAGE_SIZE = 25
class RankedPaginator(Paginator):
    """Pages of the grouped ranking, counted by the cheaper distinct-sections query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


def _board(request: HttpRequest):
    entries = LedgerEntry.objects.all()
    section_filter = LeaderboardFilter(request.GET or None, queryset=entries)
    # An unknown district or kind is left out, with a warning, rather than failing the page.
    if not section_filter.is_bound or section_filter.is_valid():
        entries = section_filter.qs
    year = year_from(request.GET.get("year"))
    columns = breakdown_columns()
    return section_filter, entries, year, columns


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv":
        return board_csv(request)
    section_filter, entries, year, columns = _board(request)
    if section_filter.is_bound and not section_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    paginator = RankedPaginator(ranking(entries, year=year), PAGE_SIZE, count=ranked_count(entries, year=year))
    page = paginator.get_page(request.GET.get("page"))
    shown = page_rows(list(page.object_list), year=year, columns=columns)
    rows = [{"rank": page.start_index() + i, "section": row} for i, row in enumerate(shown)]
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
            "districts": district_totals(entries, year=year),
            "query": query.urlencode(),
        },
    )


@login_required
def board_csv(request: HttpRequest) -> HttpResponse:
    """Every ranked section of the board as filtered, one row each, streamed from one query."""
    _filter, entries, year, columns = _board(request)
    ranking = leaderboard(entries, year=year, columns=columns).iterator(chunk_size=2000)
    return csv_response(
        f"leaderboard-{year}",
        [_("Rank"), _("Section"), _("District"), _("Kind"), _("Maturity"), _("Award year"), _("Points"),
         *[column.label for column in columns]],
        (
            [rank, row.name, row.district_code, row.get_kind_display(), row.get_maturity_display(),
             year, row.points, *[points for _column, points in row.breakdown]]
            for rank, row in enumerate(rows_of(ranking, columns), start=1)
        ),
    )


urlpatterns = [
    path("leaderboard/", board, name="leaderboard"),
    path("leaderboard.csv", board_csv, name="leaderboard_csv"),
]
