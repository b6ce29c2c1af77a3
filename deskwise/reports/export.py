"""A report's table as CSV: the same columns and rows as the page.

A cell that a spreadsheet would read as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
quote, so opening the file never runs anything (CSV injection). Numbers are
written as numbers.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from deskwise.reports.base import Filters, Report, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def filename(report: Report, filters: Filters) -> str:
    slug = "".join(c for c in report.slug if c.isalnum() or c in "-_") or "report"
    return f"{slug}_{filters.since:%Y-%m-%d}_{filters.until:%Y-%m-%d}.csv"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(column.label) for column in report.columns])
    for row in report.rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def csv_response(report: Report, filters: Filters) -> HttpResponse:
    # A byte-order mark, so that spreadsheets read the file as UTF-8.
    response = HttpResponse("\ufeff" + to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(report, filters)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
