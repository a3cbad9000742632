"""The server-drawn charts carry their numbers in a table, and CSV cells keep formulas out."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.template.loader import render_to_string

from twinning.charts import Series, bar_chart, line_chart, nice_ceiling, percent, quarter_of, quarters_between
from twinning.exports import cell, csv_response


def test_a_bar_chart_draws_a_bar_per_value_and_lists_every_number_in_its_table():
    chart = bar_chart(
        title="Check-ins on time", categories=["2026 Q1", "2026 Q2"], unit="%", max_value=100,
        series=[Series("On time", [80, 50.5], links=["/a/", None])],
    )
    html = render_to_string("charts/chart.html", {"chart": chart})

    assert html.count("<rect x=") == 2
    assert '<a href="/a/">80 %</a>' in html
    assert "50.5 %" in html
    assert "<caption" in html and "Check-ins on time" in html
    # The tallest bar reaches the top of the frame: 100 % of 100.
    assert chart.series[0].marks[0].height < chart.series[0].marks[1].height * 2


def test_series_differ_by_pattern_and_marker_not_only_by_colour():
    chart = line_chart(
        title="Trends", categories=["2025 Q4", "2026 Q1"],
        series=[Series("Proposed", [3, 4]), Series("Activated", [1, None])],
    )
    first, second = chart.series

    assert first.marker != second.marker and first.dash != second.dash
    # A missing value is a gap, not a zero.
    assert len(second.marks) == 1
    html = render_to_string("charts/chart.html", {"chart": chart, "category_label": "Quarter"})
    assert "Quarter" in html and "–" in html


def test_a_chart_with_nothing_to_draw_says_so_and_still_has_its_table():
    chart = bar_chart(title="Empty", categories=["2026 Q1"], series=[Series("On time", [None])])
    html = render_to_string("charts/chart.html", {"chart": chart})

    assert chart.empty
    assert "Nothing to show yet." in html and "<table" in html


def test_scales_and_periods():
    assert [nice_ceiling(value) for value in (0, 3, 7, 12, 240)] == [1, 5, 10, 20, 250]
    assert percent(1, 3) == 33.3 and percent(1, 0) is None
    assert quarter_of(datetime.date(2026, 11, 30)) == "2026 Q4"
    assert quarters_between(datetime.date(2025, 12, 31), datetime.date(2026, 4, 1)) == [
        datetime.date(2025, 10, 1), datetime.date(2026, 1, 1), datetime.date(2026, 4, 1),
    ]


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote_and_numbers_stay_numbers():
    assert [cell(value) for value in ["=HYPERLINK()", "+1", "-x", "@sum", "plain", -5, Decimal("2.5"), None]] == [
        "'=HYPERLINK()", "'+1", "'-x", "'@sum", "plain", "-5", "2.5", "",
    ]
    response = csv_response("partnerships", ["Title", "Points"], [["=cmd", 3]])

    assert response["Content-Disposition"] == 'attachment; filename="partnerships.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [["Title", "Points"], ["'=cmd", "3"]]


def test_a_chart_names_its_axes_and_says_what_it_shows_to_a_screen_reader():
    chart = line_chart(
        title="Partnerships by step", categories=["2025 Q4", "2026 Q1"], x_label="Quarter", y_label="Partnerships",
        series=[Series("Proposed", [3, 4]), Series("Activated", [1, 2])],
    )
    html = render_to_string("charts/chart.html", {"chart": chart})

    assert 'data-axis="x">Quarter</text>' in html
    assert 'data-axis="y" transform="rotate(-90' in html and ">Partnerships</text>" in html
    assert (
        'role="img" aria-label="Line chart: Partnerships by step. Partnerships by Quarter, 2025 Q4 to 2026 Q1; '
        'series: Proposed, Activated. The table below gives every value."'
    ) in html
