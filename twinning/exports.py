"""CSV exports of the site's tables: one way to name the file and to keep formulas out.

A spreadsheet runs a cell that starts with "=", "+", "-", "@", a tab or a carriage return
as a formula (CSV injection), so such text gets a leading quote, as the admin's export
does (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT). Numbers stay numbers, negative ones too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell: text a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download named `filename` (without ".csv"), every cell escaped."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow([cell(value) for value in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return response
