"""CSV and XLSX files for staff exports, shared by every room: the same rows, two formats,
with cells that a spreadsheet would run as formulas turned back into text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook

# Excel runs cells starting with these as formulas; a leading quote keeps them text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel then reads UTF-8 Vietnamese


def to_xlsx(rows: Iterable[list], *, title: str) -> bytes:
    return to_xlsx_sheets({title: rows})


def to_xlsx_sheets(sheets: dict[str, Iterable[list]]) -> bytes:
    """A workbook with one sheet per title, in order."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(
    rows: Iterable[list], *, file_format: str, filename: str, title: str
) -> HttpResponse:
    """A download of ``rows`` as ``filename``.csv or .xlsx."""
    if file_format == "csv":
        content = to_csv(rows)
    elif file_format == "xlsx":
        content = to_xlsx(rows, title=title)
    else:
        raise ValueError(file_format)
    return _download(content, file_format=file_format, filename=filename)


def workbook_response(sheets: dict[str, Iterable[list]], *, filename: str) -> HttpResponse:
    """A download of an XLSX workbook with one sheet per title."""
    return _download(to_xlsx_sheets(sheets), file_format="xlsx", filename=filename)


def _download(content: bytes, *, file_format: str, filename: str) -> HttpResponse:
    """Never kept by shared caches: exports hold what only staff may read."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
