"""Charts drawn on the server as SVG, each with the table of its numbers.

A chart is computed here as coordinates and drawn by `templates/charts/chart.html`, which
puts the numbers in a table under it: the table is what a screen reader reads and what a
user copies; the drawing is an image whose text alternative (`summary`) names what it shows,
and its axes carry their labels. Series differ by more than colour: bars by fill
pattern, lines by marker shape and dash, and every bar or point carries its value in a
tooltip. The colours keep at least 4.5:1 contrast against white.

Nothing here queries: callers pass categories (quarters, districts, years) and numbers.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 62, 12, 14, 46
# Dark enough for text and lines on white (each ≥ 4.5:1), told apart by hue as well.
COLOURS = ("#0b5394", "#b45309", "#047857", "#7e22ce", "#be123c", "#374151")
# Fill patterns for bars (ids of the <pattern>s chart.html defines) and marker shapes and
# dashes for lines, by series: a chart printed in grey or seen without colour still reads.
PATTERNS = ("solid", "hatch", "dots", "cross", "vertical", "horizontal")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "", "6 3")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    # Where each value's records are listed (drill-down), or None.
    links: list[str | None] | None = None


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    value: str
    category: str
    link: str | None
    # A line chart's marker, as an SVG path.
    path: str = ""


@dataclass(frozen=True)
class DrawnSeries:
    name: str
    colour: str
    pattern: str
    marker: str
    dash: str
    marks: list[Mark]
    points: str = ""
    # Ids of the bar fill pattern in the drawing and in the legend.
    pattern_id: str = ""
    legend_pattern_id: str = ""

    @property
    def legend_marker(self) -> str:
        return marker_path(self.marker, 13, 6)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    categories: list[str]
    series: list[DrawnSeries]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    unit: str = ""
    # What the axes measure ("Quarter", "Partnerships"), written along them.
    x_label: str = ""
    y_label: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    id: str = "chart"
    rows: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def top(self) -> int:
        return TOP

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(mark for drawn in self.series for mark in drawn.marks)

    @property
    def x_label_position(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2, self.height - 8)

    @property
    def y_label_position(self) -> tuple[float, float]:
        return (12, (self.top + self.bottom) / 2)

    @property
    def summary(self) -> str:
        """The drawing's text alternative: what it shows, over which span; the table under it
        has every number."""
        kind = _("Bar chart") if self.kind == "bar" else _("Line chart")
        if len(self.categories) > 1:
            span = _("%(first)s to %(last)s") % {"first": self.categories[0], "last": self.categories[-1]}
        else:
            span = "".join(self.categories)
        text = _("%(kind)s: %(title)s. %(y)s by %(x)s, %(span)s; series: %(series)s. The table below gives every value.")
        return text % {
            "kind": kind, "title": self.title, "y": self.y_label or _("Value"), "x": self.x_label or _("category"),
            "span": span, "series": ", ".join(drawn.name for drawn in self.series),
        }


def marker_path(shape: str, x: float, y: float) -> str:
    """An SVG path drawing `shape` centred on (x, y)."""
    if shape == "square":
        return f"M{x - 4},{y - 4} h8 v8 h-8 z"
    if shape == "triangle":
        return f"M{x},{y - 5} l5,9 h-10 z"
    if shape == "diamond":
        return f"M{x},{y - 5} l5,5 l-5,5 l-5,-5 z"
    return f"M{x - 4},{y} a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (1 for nothing to show)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    text = number_format(value, decimal_pos=0 if float(value).is_integer() else 1)
    return f"{text} %" if unit == "%" else text


def _frame(categories, series, unit, max_value):
    highest = max([value for one in series for value in one.values if value is not None], default=0)
    top_value = max_value if max_value is not None else nice_ceiling(highest)
    bottom, top = HEIGHT - BOTTOM, TOP

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * (value / top_value if top_value else 0), 1)

    y_ticks = [Tick(y_of(top_value * step / 4), _shown(top_value * step / 4, unit)) for step in range(5)]
    return y_of, y_ticks


def _x_ticks(centres: list[float], categories: list[str]) -> list[Tick]:
    # At most about twelve labels fit under the axis; the table has every one.
    every = max(1, math.ceil(len(categories) / 12))
    return [Tick(centre, label) for index, (centre, label) in enumerate(zip(centres, categories)) if index % every == 0]


def _rows(categories: list[str], series: list[Series], unit: str) -> list:
    return [
        (category, [(_shown(one.values[index], unit), (one.links or [None] * len(categories))[index]) for one in series])
        for index, category in enumerate(categories)
    ]


def bar_chart(
    *, title: str, categories: list[str], series: list[Series], unit: str = "", max_value: float | None = None,
    id: str = "chart", x_label: str = "", y_label: str = "",
) -> Chart:
    """Grouped bars: one group per category, one bar per series."""
    y_of, y_ticks = _frame(categories, series, unit, max_value)
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    drawn = []
    for number, one in enumerate(series):
        marks = []
        for index, (category, value) in enumerate(zip(categories, one.values)):
            if value is None:
                continue
            y = y_of(value)
            marks.append(Mark(
                x=round(LEFT + slot * index + slot * 0.1 + bar * number, 1), y=y, width=round(bar, 1),
                height=round(HEIGHT - BOTTOM - y, 1), value=_shown(value, unit), category=category,
                link=one.links[index] if one.links else None,
            ))
        drawn.append(_drawn(id, one.name, number, marks))
    centres = [LEFT + slot * index + slot / 2 for index in range(len(categories))]
    return Chart(kind="bar", title=title, categories=categories, series=drawn, y_ticks=y_ticks,
                 x_ticks=_x_ticks(centres, categories), unit=unit, id=id, rows=_rows(categories, series, unit),
                 x_label=x_label, y_label=y_label)


def line_chart(
    *, title: str, categories: list[str], series: list[Series], unit: str = "", max_value: float | None = None,
    id: str = "chart", x_label: str = "", y_label: str = "",
) -> Chart:
    """One line per series across the categories (quarters, years); gaps where a value is None."""
    y_of, y_ticks = _frame(categories, series, unit, max_value)
    step = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    centres = [round(LEFT + step * index + step / 2, 1) for index in range(len(categories))]
    drawn = []
    for number, one in enumerate(series):
        shape = MARKERS[number % len(MARKERS)]
        marks = [
            Mark(x=centres[index], y=y_of(value), width=0, height=0, value=_shown(value, unit), category=category,
                 link=one.links[index] if one.links else None, path=marker_path(shape, centres[index], y_of(value)))
            for index, (category, value) in enumerate(zip(categories, one.values)) if value is not None
        ]
        points = " ".join(f"{mark.x},{mark.y}" for mark in marks)
        drawn.append(_drawn(id, one.name, number, marks, points))
    return Chart(kind="line", title=title, categories=categories, series=drawn, y_ticks=y_ticks,
                 x_ticks=_x_ticks(centres, categories), unit=unit, id=id, rows=_rows(categories, series, unit),
                 x_label=x_label, y_label=y_label)


def _drawn(chart_id: str, name: str, number: int, marks: list[Mark], points: str = "") -> DrawnSeries:
    index = number % len(COLOURS)
    return DrawnSeries(name=name, colour=COLOURS[index], pattern=PATTERNS[index], marker=MARKERS[index],
                       dash=DASHES[index], marks=marks, points=points,
                       pattern_id=f"{chart_id}-p{number}", legend_pattern_id=f"{chart_id}-l{number}")


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, one decimal; None when there is no whole to take part of."""
    return round(100 * part / whole, 1) if whole else None


def quarter_of(day: datetime.date) -> str:
    """The quarter a day falls in, as "2026 Q3" (the label charts and tables show)."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarters_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the quarters from `first`'s to `last`'s, both included."""
    quarters, current, end = [], quarter_start(first), quarter_start(last)
    while current <= end:
        quarters.append(current)
        month = current.month + 3
        current = datetime.date(current.year + (month > 12), (month - 1) % 12 + 1, 1)
    return quarters
