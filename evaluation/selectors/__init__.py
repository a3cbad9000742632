"""Reads for evaluation/: readiness history, the check-in pages, the partnership's
schedule and indicator charts, the officer's home. Each in a fixed number of queries;
charts are inline SVG drawn here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Activity, Indicator, Partnership, Status
from partnerships.models.partnership import RUNNING_STATUSES
from sections.models import Section

from ..models import (
    ActivityProgress,
    Assessment,
    CheckIn,
    DimensionScore,
    Evaluation,
    EvaluationSide,
    IndicatorActual,
    IndicatorResult,
    ObjectiveResult,
    Questionnaire,
    ReportingPeriod,
)
from ..services.checkins import CHECKIN_FIELDS
from ..services.closing import OPEN_FOR, midpoint_of


@dataclass(frozen=True)
class ChartFrame:
    """An inline SVG chart's frame: its size and the padding around the plotting area."""

    width: int
    height: int
    pad: int

    @property
    def bottom(self) -> int:
        return self.height - self.pad

    @property
    def middle_x(self) -> float:
        return self.width / 2

    @property
    def middle_y(self) -> float:
        return self.height / 2

    @property
    def x_label_y(self) -> int:
        """The baseline of the horizontal axis's label, in the padding under the axis."""
        return self.height - 3

    @property
    def tick_label_y(self) -> int:
        """The baseline of the labels of the points along the horizontal axis."""
        return self.bottom + 12

    @property
    def right(self) -> int:
        return self.width - self.pad

    @property
    def inner_width(self) -> int:
        return self.width - 2 * self.pad

    @property
    def inner_height(self) -> int:
        return self.height - 2 * self.pad


READINESS_CHART = ChartFrame(width=600, height=180, pad=30)
INDICATOR_CHART = ChartFrame(width=360, height=150, pad=28)



def current_questionnaire() -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(is_current=True)
        .prefetch_related("dimensions__questions__options")
        .first()
    )


def assessments_of(section: Section) -> list[Assessment]:
    """Newest first, each with its dimension scores and their dimensions."""
    scores = DimensionScore.objects.select_related("dimension")
    return list(
        section.assessments.select_related("author", "questionnaire")
        .prefetch_related(Prefetch("dimension_scores", queryset=scores))
        .order_by("-created_at", "-pk")
    )


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str
    score: float | None = None


def score_chart(assessments: list[Assessment]) -> list[ChartPoint]:
    """Points of the overall score over time, oldest left, for an inline SVG polyline."""
    ordered = list(reversed(assessments))
    if not ordered:
        return []
    frame = READINESS_CHART
    step = frame.inner_width / max(len(ordered) - 1, 1)
    return [
        ChartPoint(
            x=round(frame.pad + index * step, 1),
            y=round(frame.bottom - float(a.score) / 100 * frame.inner_height, 1),
            score=float(a.score),
            label=date_format(timezone.localdate(a.created_at)),
        )
        for index, a in enumerate(ordered)
    ]


DUE_SOON_DAYS = 14


def local_today(checkin: CheckIn, now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now, timezone=checkin.section.time_zone)


def _number(value: Decimal) -> str:
    """12.50 → 12.5, 12.00 → 12: values as people write them."""
    return f"{value.normalize():f}"


# The check-in page ------------------------------------------------------------------------------


def plan_for_checkin(partnership: Partnership) -> tuple[list[Activity], list[Indicator]]:
    """The activities and indicators a check-in reports on."""
    activities = list(partnership.activities.select_related("owning_section").order_by("start_date", "pk"))
    indicators = list(partnership.indicators.order_by("pk"))
    return activities, indicators


def checkin_reported(checkin: CheckIn) -> tuple[list[ActivityProgress], list[IndicatorActual]]:
    progress = list(checkin.progress.select_related("activity").order_by("activity__start_date", "activity__pk"))
    actuals = list(checkin.actuals.select_related("indicator").order_by("indicator__pk"))
    return progress, actuals


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "overall":
        return str(CheckIn.Overall(value).label)
    return str(value)


PROGRESS_LABELS = {"status": gettext_lazy("status"), "percent": gettext_lazy("% complete"), "note": gettext_lazy("note")}


def _shown_progress(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "status":
        return str(Activity.Status(value).label)
    return str(value)


def amendments_of(checkin: CheckIn) -> list[dict]:
    """Each amendment, oldest first: who, when, why, and every field changed from what to
    what: the check-in's own fields, then the activities' progress and the indicator values
    (each named as it was called when the amendment was made)."""
    rows = []
    for amendment in checkin.amendments.select_related("amended_by").order_by("amended_at", "pk"):
        changes = [
            {
                "label": str(CheckIn._meta.get_field(name).verbose_name).capitalize(),
                "from": _shown(name, change["from"]),
                "to": _shown(name, change["to"]),
            }
            for name, change in amendment.changes.items()
            if name in CHECKIN_FIELDS
        ]
        changes += [
            {
                "label": f"{change['title']} — {PROGRESS_LABELS[change['field']]}",
                "from": _shown_progress(change["field"], change["from"]),
                "to": _shown_progress(change["field"], change["to"]),
            }
            for change in amendment.changes.get("progress", [])
        ]
        changes += [
            {
                "label": _("%(name)s — actual value") % {"name": change["name"]},
                "from": change["from"] if change["from"] is not None else "—",
                "to": change["to"] if change["to"] is not None else "—",
            }
            for change in amendment.changes.get("actuals", [])
        ]
        rows.append({"amendment": amendment, "changes": changes})
    return rows


# The partnership page ---------------------------------------------------------------------------


@dataclass
class Side:
    """One section's check-in for one period, as the schedule shows it."""

    checkin: CheckIn | None
    state: str = "missing"  # submitted | upcoming | open | overdue | closed | missing
    may_fill: bool = False


@dataclass
class PeriodRow:
    period: ReportingPeriod
    sides: list[Side]


def side_state(checkin: CheckIn, today: datetime.date) -> str:
    if checkin.state == CheckIn.State.SUBMITTED:
        return "submitted"
    if checkin.period.ends_on > today:
        return "upcoming"
    return "overdue" if today > checkin.due_on else "open"


def schedule_of(
    partnership: Partnership, *, section_ids: list[int], acting: set[int], now: datetime.datetime | None = None
) -> list[PeriodRow]:
    """The periods, newest first, with one side per section in `section_ids` (in that order)."""
    periods = ReportingPeriod.objects.filter(partnership=partnership).order_by("-number").prefetch_related(
        Prefetch("checkins", queryset=CheckIn.objects.select_related("section", "submitted_by"))
    )
    # Once the partnership has completed or ended, a report it never filed is no longer due.
    closed = partnership.status not in RUNNING_STATUSES
    rows = []
    for period in periods:
        by_section = {checkin.section_id: checkin for checkin in period.checkins.all()}
        sides = []
        for section_id in section_ids:
            checkin = by_section.get(section_id)
            if checkin is None:
                sides.append(Side(checkin=None))
                continue
            checkin.period = period
            state = side_state(checkin, local_today(checkin, now))
            if closed and state != "submitted":
                state = "closed"
            sides.append(Side(checkin=checkin, state=state, may_fill=section_id in acting and state in ("open", "overdue")))
        rows.append(PeriodRow(period=period, sides=sides))
    return rows


# Dark enough for contrast on white; the second series is also dashed, for readers who
# cannot tell the colours apart.
SERIES_STYLES = [("#0a3a7a", ""), ("#9a4a00", "6 4"), ("#1e6b34", "2 3")]


@dataclass
class Series:
    name: str
    colour: str
    dash: str
    points: list[ChartPoint]
    start: ChartPoint


@dataclass
class IndicatorChart:
    indicator: Indicator
    series: list[Series] = field(default_factory=list)
    target_y: float = 0
    target_x: float = 0
    target_label_y: float = 0
    summary: str = ""
    # The chart's numbers as a table: (section, date, value), in the drawing's order.
    rows: list[tuple[str, str, str]] = field(default_factory=list)


def _chart(
    indicator: Indicator, actuals: list[IndicatorActual], origin: datetime.date, section_ids: list[int]
) -> IndicatorChart:
    chart = IndicatorChart(indicator=indicator)
    if not actuals:
        return chart
    dates = [actual.measured_on for actual in actuals]
    first = min([origin, *dates])
    last = max([indicator.target_date, *dates])
    span = max((last - first).days, 1)
    values = [actual.value for actual in actuals]
    low = min([Decimal("0"), indicator.baseline, indicator.target, *values])
    high = max([indicator.baseline, indicator.target, *values])
    if high == low:
        high = low + 1
    frame = INDICATOR_CHART

    def x(day: datetime.date) -> float:
        return round(frame.pad + (day - first).days / span * frame.inner_width, 1)

    def y(value: Decimal) -> float:
        return round(frame.bottom - float((value - low) / (high - low)) * frame.inner_height, 1)

    by_section: dict[int, list[IndicatorActual]] = {}
    for actual in actuals:
        by_section.setdefault(actual.checkin.section_id, []).append(actual)
    described = []
    for section_id, section_actuals in sorted(by_section.items(), key=lambda item: _position(section_ids, item[0])):
        # Each section keeps its colour in every chart of the page.
        colour, dash = SERIES_STYLES[_position(section_ids, section_id) % len(SERIES_STYLES)]
        name = section_actuals[0].checkin.section.name
        points = [
            ChartPoint(x=x(a.measured_on), y=y(a.value), label=f"{date_format(a.measured_on)}: {_number(a.value)}")
            for a in section_actuals
        ]
        start = ChartPoint(x=x(origin), y=y(indicator.baseline), label=_("baseline %(value)s") % {"value": _number(indicator.baseline)})
        chart.series.append(Series(name=name, colour=colour, dash=dash, points=points, start=start))
        chart.rows.extend((name, date_format(a.measured_on), _number(a.value)) for a in section_actuals)
        described.append(f"{name}: " + ", ".join(point.label for point in points))
    chart.target_y, chart.target_x = y(indicator.target), x(indicator.target_date)
    # The target's label sits above its line, or below it when the line runs along the top.
    chart.target_label_y = chart.target_y - 5 if chart.target_y > frame.pad + 10 else chart.target_y + 14
    chart.summary = _("%(name)s, baseline %(baseline)s, target %(target)s %(unit)s by %(date)s. %(series)s") % {
        "name": indicator.name,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "unit": indicator.unit,
        "date": date_format(indicator.target_date),
        "series": "; ".join(described),
    }
    return chart


def _position(section_ids: list[int], section_id: int) -> int:
    return section_ids.index(section_id) if section_id in section_ids else len(section_ids)


def indicator_charts(partnership: Partnership, *, section_ids: list[int]) -> list[IndicatorChart]:
    """Each indicator's submitted actual values over time, one series per section (in the
    order of `section_ids`), against its target."""
    actuals = IndicatorActual.objects.filter(checkin__state=CheckIn.State.SUBMITTED).select_related("checkin__section")
    indicators = partnership.indicators.order_by("pk").prefetch_related(
        Prefetch("actuals", queryset=actuals.order_by("measured_on", "pk"), to_attr="reported")
    )
    origin = partnership.schedule_from or partnership.start_date
    return [_chart(indicator, indicator.reported, origin, section_ids) for indicator in indicators]


# The officer's home -----------------------------------------------------------------------------


def checkins_due(
    *, section_ids: set[int] | list[int], now: datetime.datetime | None = None, within_days: int = DUE_SOON_DAYS
) -> tuple[list[CheckIn], list[CheckIn]]:
    """The open check-ins of these sections in active partnerships: (due within `within_days`
    days, overdue), soonest first. Each carries `days_left` or `days_overdue`."""
    if not section_ids:
        return [], []
    # A day of slack: each section's own date may run ahead of the server's.
    horizon = timezone.localdate(now) + datetime.timedelta(days=within_days + 1)
    checkins = (
        CheckIn.objects.filter(
            state=CheckIn.State.DRAFT, section_id__in=section_ids, due_on__lte=horizon,
            period__partnership__status=Status.ACTIVE,
        )
        .select_related("section", "period__partnership")
        .order_by("due_on", "pk")
    )
    due_soon, overdue = [], []
    for checkin in checkins:
        days_left = (checkin.due_on - local_today(checkin, now)).days
        if days_left < 0:
            checkin.days_overdue = -days_left
            overdue.append(checkin)
        elif days_left <= within_days:
            checkin.days_left = days_left
            due_soon.append(checkin)
    return due_soon, overdue


# Evaluations ------------------------------------------------------------------------------------


def evaluations_of(partnership: Partnership) -> dict[str, Evaluation]:
    """The partnership's evaluations by kind, each with its sides."""
    return {
        evaluation.kind: evaluation
        for evaluation in Evaluation.objects.filter(partnership=partnership).prefetch_related(
            Prefetch("sides", queryset=EvaluationSide.objects.select_related("section"))
        )
    }


def evaluation_detail(partnership: Partnership, kind: str) -> Evaluation | None:
    """The evaluation of `kind` with everything its page shows, in a fixed number of queries."""
    return evaluations_detail(partnership, kinds=[kind]).get(kind)


def evaluations_detail(partnership: Partnership, *, kinds) -> dict[str, Evaluation]:
    """The partnership's evaluations of `kinds` by kind, each as evaluation_detail loads it:
    the same queries for all of them as for one."""
    evaluations = (
        Evaluation.objects.filter(partnership=partnership, kind__in=list(kinds))
        .select_related("coordinator_comment_by", "updated_by")
        .prefetch_related(
            Prefetch(
                "sides",
                queryset=EvaluationSide.objects.select_related("section", "confirmed_by").prefetch_related("benefits"),
            ),
            Prefetch("objective_results", queryset=ObjectiveResult.objects.select_related("objective__goal").order_by(
                "objective__goal__pk", "objective__pk"
            )),
            Prefetch("indicator_results", queryset=IndicatorResult.objects.select_related("indicator").order_by(
                "indicator__pk"
            )),
            "challenges",
        )
    )
    return {evaluation.kind: evaluation for evaluation in evaluations}


@dataclass
class EvaluationRow:
    """One kind of evaluation as the partnership's panel shows it."""

    kind: str
    label: str
    evaluation: Evaluation | None
    may_start: bool
    confirmed: int = 0
    sides: int = 0


def evaluation_panel_context(partnership: Partnership, *, access, user) -> dict | None:
    """What the partnership page's evaluation panel shows; None before the partnership runs."""
    # Evaluations start only while a partnership runs (services.closing.OPEN_FOR).
    if partnership.status not in (Status.ACTIVE, Status.SUSPENDED, Status.COMPLETED, Status.ENDED):
        return None
    evaluations = evaluations_of(partnership)
    rows = []
    for kind in Evaluation.Kind:
        evaluation = evaluations.get(kind)
        may_start = evaluation is None and access.may_manage and partnership.status in OPEN_FOR[kind]
        if evaluation is None and not may_start:
            continue
        sides = list(evaluation.sides.all()) if evaluation else []
        rows.append(EvaluationRow(
            kind=kind, label=kind.label, evaluation=evaluation, may_start=may_start,
            confirmed=sum(1 for side in sides if side.confirmed_at), sides=len(sides),
        ))
    return {
        "rows": rows,
        "midpoint": midpoint_of(partnership),
        "past_midpoint": midpoint_of(partnership) <= timezone.localdate(),
        "may_manage": access.may_manage,
    }
