"""The district coordinator's dashboard (/dashboard/) and its CSV exports.

Who sees which district is web.access's answer: a coordinator their districts, a society admin every
district, anyone else 404. The reads are the apps' selectors, composed in .district.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from twinning.exports import csv_response
from twinning.pagination import TwoStepPaginator

from ..access import get_district_for_dashboard
from . import district as panels

# The partnership table's filters, kept in its CSV link.
TABLE_FILTERS = ("status", "health", "form")


def _export_url(table: str, district, filters: dict[str, str] | None = None) -> str:
    query = urlencode({"district": district.code, **(filters or {})})
    return f"{reverse('dashboard_export', kwargs={'table': table})}?{query}"


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    district, access = get_district_for_dashboard(request.user, request.GET.get("district"))
    today = timezone.localdate()
    participation = panels.participation(district)
    district_partnerships = panels.district_partnerships(participation)
    table_filter, partnerships = panels.partnership_table(district_partnerships, request.GET)
    status_counts, health_counts = panels.counts(district, participation)
    filters = {name: request.GET[name] for name in TABLE_FILTERS if request.GET.get(name)}
    districts = list(access.districts())
    quarters, chart = panels.reporting(district, today=today)
    points, recognition_url = panels.recognition(district)
    section_summary = panels.section_summary(district, participation)
    sections = Paginator(panels.section_table(district, participation), panels.PAGE_SIZE)
    # The table's sections are the ones the summary counted: its total spares a COUNT(*).
    sections.count = section_summary["total"]
    return render(request, "web/dashboard_district.html", {
        "district": district,
        "districts": districts if len(districts) > 1 else [],
        "today": today,
        "needs": panels.needs(district, participation, today=today),
        "may_endorse": access.may_endorse_for(district),
        "status_counts": status_counts,
        "health_counts": health_counts,
        "table_filter": table_filter,
        # An invalid value is left out, as on the partnership list, and the page says so.
        "filters_invalid": table_filter.is_bound and not table_filter.is_valid(),
        # The page's ids and the total in one query, then the rows of those ids with their
        # sections, forms, check-in dates and conflicts: Paginator counted the table's rows
        # first, then read the page through every join (8 ms of SQL more at scale-09).
        "partnerships": TwoStepPaginator(
            partnerships, panels.PAGE_SIZE, rows=panels.partnership_table_rows
        ).get_page(request.GET.get("page")),
        "sections": sections.get_page(request.GET.get("sections_page")),
        "section_summary": section_summary,
        "quarters": quarters,
        "chart": chart,
        "points": points,
        "recognition_url": recognition_url,
        "export_urls": {
            "needs": _export_url("needs", district),
            "partnerships": _export_url("partnerships", district, filters),
            "sections": _export_url("sections", district),
            "reporting": _export_url("reporting", district),
        },
    })


def _addressed(request: HttpRequest, rows) -> list[tuple]:
    """Rows whose last cell is a page's path (reverse()'s, already quoted), with the path made
    whole so a spreadsheet links to it: the site's address read once, not once a row."""
    site = request.build_absolute_uri("/").removesuffix("/")
    return [(*row[:-1], f"{site}{row[-1]}") for row in rows]


def _needs(request: HttpRequest, district, today, access) -> tuple[tuple, list]:
    header = (_("Needs"), _("Subject"), _("Sections"), _("Since or due"), _("Detail"), _("Address"))
    return header, _addressed(request, [
        (row.kind, row.subject, row.sections, row.since, row.detail, row.url)
        for row in panels.need_rows(
            district, panels.participation(district), today=today, may_endorse=access.may_endorse_for(district),
        )
    ])


def _partnerships(request: HttpRequest, district, today, access) -> tuple[tuple, list]:
    partnerships = panels.district_partnerships(panels.participation(district))
    _filter, partnerships = panels.partnership_table(partnerships, request.GET)
    return panels.PARTNERSHIP_HEADER, _addressed(request, panels.partnership_rows(partnerships))


def _sections(request: HttpRequest, district, today, access) -> tuple[tuple, list]:
    sections = panels.section_table(district, panels.participation(district))
    return panels.SECTION_HEADER, _addressed(request, panels.section_rows(sections))


def _reporting(request: HttpRequest, district, today, access) -> tuple[tuple, list]:
    quarters, _chart = panels.reporting(district, today=today)
    return panels.REPORTING_HEADER, panels.reporting_rows(quarters)


EXPORTS = {"needs": _needs, "partnerships": _partnerships, "sections": _sections, "reporting": _reporting}


@login_required
@require_safe
def dashboard_export(request: HttpRequest, table: str) -> HttpResponse:
    """One of the dashboard's tables as CSV, every row, with the page's filters."""
    export = EXPORTS.get(table)
    if export is None:
        raise Http404("No such table.")
    district, access = get_district_for_dashboard(request.user, request.GET.get("district"))
    today = timezone.localdate()
    header, rows = export(request, district, today, access)
    return csv_response(f"{district.code}-{table}-{today.isoformat()}", header, rows)
