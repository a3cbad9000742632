"""What a district's dashboard shows, read through each app's selectors: the panels of the
page (web.dashboards.coordinator) and the rows of its CSV exports, from the same reads and
the same filters, so a download holds what the page shows (every row, not one page).

Each read is a fixed number of queries whatever the district's size; lists that could be
long are paginated on the page, or cut to their first few with the total beside them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.models import Health
from evaluation.selectors import dashboard as evaluation_dashboard
from evaluation.selectors.health import badge, with_health
from evaluation.services.health import reason_words
from partnerships import dashboard as partnership_dashboard
from partnerships.models import Partnership, Status
from recognition.leaderboard import year_from
from recognition.selectors.dashboard import DistrictPoints, district_points
from sections import dashboard as section_dashboard
from sections.models import District, Section
from twinning.db import first_with_total
from twinning.paths import MARK, OTHER_MARK, SLUG_MARK, path_of
from twinning.charts import Chart, Series, bar_chart, percent, quarter_of

from ..filters import PartnershipHealthFilter

PAGE_SIZE = 25
# Items of each "needs you now" list shown on the page; the CSV has them all.
NEEDS_SHOWN = 10


class DistrictPartnershipFilter(PartnershipHealthFilter):
    """The partnership list's status, health and form filters, on one district's table (the
    district is the dashboard's; the table keeps its own order)."""

    district = None
    section = None


def partnership_list_url(district: District, **filters: str) -> str:
    """The partnership list filtered to the district and `filters`: where a count drills down."""
    return f"{reverse('partnerships:list')}?{urlencode({'district': district.code, **filters})}"


# ---- Needs you now ------------------------------------------------------------------------

@dataclass
class NeedsList:
    key: str
    title: str
    items: list
    total: int


@dataclass(frozen=True)
class NeedRow:
    """One item of "needs you now", as the CSV lists it."""

    kind: str
    subject: str
    sections: str
    since: datetime.date | None
    detail: str
    url: str


def participation(district: District) -> partnership_dashboard.Participation:
    """What the district's sections take part in, read now (one query): a page reads it
    once and gives it, or district_partnerships', to each panel below."""
    return partnership_dashboard.district_participation(district)


def district_partnerships(participation: partnership_dashboard.Participation, *statuses: str) -> QuerySet[Partnership]:
    return partnership_dashboard.district_partnerships(participation, *statuses)


def _needs_querysets(
    district: District, participation: partnership_dashboard.Participation, today: datetime.date
) -> list[tuple[str, str, QuerySet]]:
    """Each list from the partnerships it can hold, by the statuses read with `participation`:
    those awaiting endorsement from the accepted ones, the dormant from the active ones."""
    return [
        ("endorse", gettext_lazy("Proposals awaiting the district's endorsement"),
         partnership_dashboard.awaiting_endorsement(district, district_partnerships(participation, Status.ACCEPTED))),
        ("mediate", gettext_lazy("Mediation requests"),
         partnership_dashboard.mediation_requests(participation.partnership_ids)),
        ("overdue", gettext_lazy("Check-ins overdue more than %(days)s days") % {"days": evaluation_dashboard.OVERDUE_DAYS},
         evaluation_dashboard.overdue_checkins(district, today=today)),
        ("dormant", gettext_lazy("Partnerships gone dormant"),
         evaluation_dashboard.dormant(district_partnerships(participation, Status.ACTIVE))),
        ("officerless", gettext_lazy("Sections whose offices have all ended"),
         section_dashboard.sections_without_officers(district, today=today)),
        ("instalments", gettext_lazy("Support instalments late or not matching"),
         partnership_dashboard.instalment_problems(district_partnerships(participation), today=today)),
    ]


# The lists of partnerships that show each one's sections (`section_names`).
NEEDS_WITH_SECTIONS = ("endorse", "instalments")


def needs(
    district: District, participation: partnership_dashboard.Participation, *, today: datetime.date
) -> list[NeedsList]:
    """Each list's first NEEDS_SHOWN items and its total: one query a list, the total
    counted beside the rows (COUNT(*) OVER ()) rather than by a second query, and the
    sections of the partnerships listed in one query for all lists."""
    lists = []
    for key, title, queryset in _needs_querysets(district, participation, today):
        items, total = first_with_total(queryset, NEEDS_SHOWN)
        if key == "overdue":
            for checkin in items:
                checkin.days_overdue = (today - checkin.due_on).days
        lists.append(NeedsList(key=key, title=str(title), items=items, total=total))
    with_sections = [item for listed in lists if listed.key in NEEDS_WITH_SECTIONS for item in listed.items]
    if with_sections:
        names = partnership_dashboard.section_names_of(sorted({item.pk for item in with_sections}))
        for item in with_sections:
            item.section_names = names.get(item.pk, [])
    return lists


def need_rows(
    district: District, participation: partnership_dashboard.Participation, *, today: datetime.date,
    may_endorse: bool = True,
) -> list[NeedRow]:
    """Every item of every "needs you now" list, for the CSV: a query a list, read as values,
    not model instances (with their related rows, two thousand of them for a large district),
    and the sections of the partnerships listed in one query for all. An endorsement links its
    page only for who may give it (`may_endorse`), else the partnership."""
    querysets = dict((key, queryset) for key, _title, queryset in _needs_querysets(district, participation, today))
    detail = path_of("partnerships:detail", pk=MARK)
    endorse = path_of("partnerships:transition", {"action": "endorse"}, pk=MARK) if may_endorse else detail
    checkin = path_of("partnerships:checkin", pk=MARK, checkin_id=OTHER_MARK)
    finances = path_of("partnerships:finances", pk=MARK)
    section_page = path_of("sections:detail", slug=SLUG_MARK)

    def values(key: str, *fields: str) -> list[tuple]:
        return list(querysets[key].values_list(*fields))

    endorsing = values("endorse", "pk", "title", "updated_at")
    mediating = values("mediate", "partnership_id", "partnership__title", "raised_for_name", "raised_at", "description")
    overdue = values("overdue", "pk", "period__partnership_id", "period__partnership__title", "section__name", "due_on")
    dormant = values("dormant", "pk", "title", "health__since", "health_reason")
    officerless = values("officerless", "name", "last_office_ended", "slug")
    instalments = values("instalments", "pk", "title")
    names = partnership_dashboard.section_names_of(
        sorted({row[0] for rows in (endorsing, dormant, instalments) for row in rows})
    )

    def sections_of(pk: int) -> str:
        return ", ".join(names.get(pk, ()))

    rows = [
        NeedRow(_("Endorse"), title, sections_of(pk), updated_at.date(), "", endorse(pk=pk))
        for pk, title, updated_at in endorsing
    ]
    rows += [
        NeedRow(_("Mediate"), title, raised_for, raised_at.date(), description, f"{detail(pk=pk)}#logs")
        for pk, title, raised_for, raised_at, description in mediating
    ]
    rows += [
        NeedRow(
            _("Overdue check-in"), title, section, due_on,
            _("%(days)s days overdue") % {"days": (today - due_on).days}, checkin(pk=pk, checkin_id=checkin_id),
        )
        for checkin_id, pk, title, section, due_on in overdue
    ]
    rows += [
        NeedRow(_("Dormant"), title, sections_of(pk), since, reason_words(reason), detail(pk=pk))
        for pk, title, since, reason in dormant
    ]
    rows += [
        NeedRow(_("No officers"), name, "", last_office_ended, "", section_page(slug=slug))
        for name, last_office_ended, slug in officerless
    ]
    rows += [
        NeedRow(_("Instalments"), title, sections_of(pk), None, "", finances(pk=pk))
        for pk, title in instalments
    ]
    return rows


# ---- Partnerships -------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    label: str
    number: int
    url: str


def counts(
    district: District, participation: partnership_dashboard.Participation
) -> tuple[list[Tally], list[Tally]]:
    """The district's partnerships by status (those with any; the statuses read with
    `participation`) and the active ones by health: one query."""
    statuses = Counter(participation.statuses.values())
    healths = evaluation_dashboard.health_counts(district_partnerships(participation, Status.ACTIVE))
    return [
        Tally(str(label), statuses[status], partnership_list_url(district, status=status))
        for status, label in Status.choices if statuses.get(status)
    ], [
        Tally(str(label), healths.get(health, 0), partnership_list_url(district, health=health))
        for health, label in Health.choices
    ]


def partnership_table(
    partnerships: QuerySet[Partnership], data
) -> tuple[DistrictPartnershipFilter, QuerySet[Partnership]]:
    """The district's `partnerships` filtered by `data` (the query string), worst health
    first: the filter (invalid values are left out, as on the list) and its rows, whose ids
    the page and the CSV read (what a row shows is read for those ids: partnership_table_rows,
    partnership_rows)."""
    table_filter = DistrictPartnershipFilter(data or None, queryset=with_health(partnerships))
    return table_filter, table_filter.qs.order_by("health_rank", "-updated_at", "-pk")


def _status_labels() -> dict[str, str]:
    """Each status's label in the active language, translated once for a table's rows (the
    model's get_status_display rebuilds the choices every row)."""
    return {status: str(label) for status, label in Status.choices}


def partnership_table_rows(ids: list[int]) -> list[Partnership]:
    """The partnerships of `ids` (a page of partnership_table's) with what a row of the table
    shows, their sections' and forms' names (`section_names`, `form_names`) read as values
    and their status's label (`status_label`, _status_labels): TwoStepPaginator's rows, read
    after the page's ids (and the total beside them)."""
    status_labels = _status_labels()
    partnerships = with_health(Partnership.objects.filter(pk__in=ids).only("title", "status"), rank=False)
    partnerships = list(partnership_dashboard.for_table(evaluation_dashboard.with_checkin_dates(partnerships)))
    sections = partnership_dashboard.section_names_of(ids)
    forms = partnership_dashboard.form_names_of(ids)
    for partnership in partnerships:
        partnership.section_names = sections.get(partnership.pk, [])
        partnership.form_names = forms.get(partnership.pk, [])
        partnership.status_label = status_labels.get(partnership.status, partnership.status)
    return partnerships


PARTNERSHIP_HEADER = (
    gettext_lazy("Partnership"), gettext_lazy("Sections"), gettext_lazy("Forms"), gettext_lazy("Status"),
    gettext_lazy("Health"), gettext_lazy("Why"), gettext_lazy("Last check-in"), gettext_lazy("Next due"),
    gettext_lazy("Open conflicts"), gettext_lazy("Address"),
)


def partnership_rows(partnerships: QuerySet[Partnership]) -> list[tuple]:
    """Every row of `partnerships` (partnership_table's) as the CSV has them: the row's
    columns as values, not model instances, and the sections, forms, check-in dates and open
    conflicts of all rows read in one query each (instances and prefetches took most of a
    second for a large district's two thousand partnerships; the table's subqueries, run once
    a row, most of the export's SQL)."""
    # Each status's label (_status_labels) and each health's badge made once, not once a row.
    status_labels = _status_labels()
    badges = {}
    records = list(partnerships.values_list(
        "pk", "title", "status", "health_code", "health_reason",
    ))
    pks = [record[0] for record in records]
    sections = partnership_dashboard.section_names_of(pks)
    forms = partnership_dashboard.form_names_of(pks)
    dates = evaluation_dashboard.checkin_dates_of(pks)
    conflicts = partnership_dashboard.open_conflicts_of(pks)
    detail_path = path_of("partnerships:detail", pk=MARK)
    rows = []
    for pk, title, status, health_code, health_reason in records:
        if (health_code, health_reason) not in badges:
            badges[health_code, health_reason] = badge(health_code, health_reason)
        health = badges[health_code, health_reason]
        last_checkin, next_due = dates.get(pk, (None, None))
        rows.append((
            title, ", ".join(sections.get(pk, ())), ", ".join(forms.get(pk, ())),
            status_labels.get(status, status), health.label if health else "", health.reason if health else "",
            last_checkin.date() if last_checkin else None, next_due, conflicts.get(pk, 0), detail_path(pk=pk),
        ))
    return rows


# ---- Sections -----------------------------------------------------------------------------

def section_table(district: District, participation: partnership_dashboard.Participation) -> QuerySet:
    """The district's sections with the columns the table shows (a section's description and
    search text are most of its row)."""
    sections = section_dashboard.with_officers_in_office(
        section_dashboard.district_sections(district).only(
            "name", "slug", "country", "seeking_partner", "readiness_verdict", "readiness_assessed_at",
            "open_partnerships", "max_concurrent_partnerships",
        ),
        today=timezone.localdate(),
    )
    return partnership_dashboard.with_partnership_load(sections, participation)


def section_summary(district: District, participation: partnership_dashboard.Participation) -> dict:
    counts = partnership_dashboard.section_counts(section_dashboard.district_sections(district), participation)
    return {**counts, "seeking_url": f"{reverse('sections:directory')}?{urlencode({'district': district.code, 'seeking': 'true'})}"}


SECTION_HEADER = (
    gettext_lazy("Section"), gettext_lazy("Country"), gettext_lazy("Seeking a partner"), gettext_lazy("Readiness"),
    gettext_lazy("Assessed on"), gettext_lazy("Open partnerships"), gettext_lazy("Most at once"),
    gettext_lazy("Ever twinned"), gettext_lazy("Address"),
)


def section_rows(sections: QuerySet[Section]) -> list[tuple]:
    """Every row of `sections` (section_table's) as the CSV has them: read as values, not
    model instances, each verdict's label and country's name found once, not once a row."""
    yes, no = _("Yes"), _("No")
    verdicts = {value: str(label) for value, label in Section._meta.get_field("readiness_verdict").flatchoices}
    countries: dict[str, str] = {}
    page = path_of("sections:detail", slug=SLUG_MARK)
    rows = []
    for name, country, seeking, verdict, assessed_at, open_partnerships, most, twinned, slug in sections.values_list(
        "name", "country", "seeking_partner", "readiness_verdict", "readiness_assessed_at", "open_partnerships",
        "max_concurrent_partnerships", "twinned", "slug",
    ):
        if country not in countries:
            countries[country] = Section.country.country(country).name
        rows.append((
            name, countries[country], yes if seeking else no, verdicts.get(verdict, verdict),
            assessed_at.date() if assessed_at else None, open_partnerships, most, yes if twinned else no,
            page(slug=slug),
        ))
    return rows


# ---- Reporting ----------------------------------------------------------------------------

def reporting(district: District, *, today: datetime.date) -> tuple[list, Chart]:
    """Check-ins on time per quarter, the last eight quarters: the rows and their chart."""
    quarters = evaluation_dashboard.on_time_by_quarter(district, today=today)
    chart = bar_chart(
        title=_("Check-ins submitted on time, per quarter of their due date (%)"),
        categories=[quarter_of(row.quarter) for row in quarters],
        series=[Series(name=_("On time"), values=[percent(row.on_time, row.due) for row in quarters])],
        unit="%", max_value=100, id="reporting-chart",
        x_label=_("Quarter of the due date"), y_label=_("Check-ins on time (%)"),
    )
    return quarters, chart


REPORTING_HEADER = (
    gettext_lazy("Quarter"), gettext_lazy("Check-ins due"), gettext_lazy("On time"), gettext_lazy("Late or missing"),
    gettext_lazy("On time (%)"),
)


def reporting_rows(quarters) -> list[tuple]:
    return [(quarter_of(row.quarter), row.due, row.on_time, row.late, percent(row.on_time, row.due)) for row in quarters]


# ---- Recognition --------------------------------------------------------------------------

def recognition(district: District) -> tuple[DistrictPoints, str]:
    """The district's points this award year and its recognition page."""
    year = year_from(None)
    url = f"{reverse('recognition:district', kwargs={'code': district.code})}?year={year}"
    return district_points(district, year=year), url

