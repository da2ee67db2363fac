"""Write tables as CSV or XLSX that a spreadsheet opens safely.

A cell of text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms ``＝ ＋ － ＠``) would be run as a formula by Excel, LibreOffice or Google Sheets
(OWASP "CSV injection"). Such a cell is written with a single quote in front (``'=1+1``), and so is
a cell that already starts with a quote, so that reading back is exact: strip one leading quote
from any text cell that has one (``unescape_cell``). In XLSX every text cell is also stored as a
string, never a formula.

Numbers, booleans and dates are not text: they are written as numbers, booleans and dates (a
negative number stays a number). In CSV they are written as plain text (dates ISO 8601), which a
spreadsheet reads back as numbers and dates, not formulas.

- ``table_csv(headers, rows) -> bytes``: UTF-8 with a byte-order mark, so that Excel shows
  accents right; CRLF line ends.
- ``table_xlsx(headers, rows, *, title) -> bytes``: one sheet named after ``title`` (cut to 31
  characters, with the characters Excel forbids replaced), a bold header row, frozen. Control
  characters that XLSX cannot hold are replaced by U+FFFD; text over 32,767 characters (Excel's
  limit for a cell) is cut, ending with "…".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

ExportCell = str | int | float | Decimal | bool | dt.date | dt.datetime | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""A text cell starting with one of these is escaped."""
_QUOTE = "'"
XLSX_CELL_LIMIT = 32_767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_cell(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet would run it as a formula."""
    if text.startswith((*FORMULA_STARTS, _QUOTE)):
        return _QUOTE + text
    return text


def unescape_cell(text: str) -> str:
    """The text ``escape_cell`` was given."""
    return text[1:] if text.startswith(_QUOTE) else text


def _csv_value(value: ExportCell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else escape_cell(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else escape_cell(str(value))
    return escape_cell(str(value))


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[ExportCell]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark) of ``headers`` then ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_cell(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", title).strip("' ") or "Sheet"
    return cleaned[:31]


def _xlsx_text(text: str) -> str:
    cleaned = _ILLEGAL_XML.sub("\ufffd", escape_cell(text))
    if len(cleaned) > XLSX_CELL_LIMIT:
        cleaned = cleaned[: XLSX_CELL_LIMIT - 1] + "…"
    return cleaned


def table_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[ExportCell]], *, title: str
) -> bytes:
    """An XLSX workbook of one sheet: ``headers`` in bold, then ``rows``."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    workbook.properties.title = _ILLEGAL_XML.sub("", title)[:200]
    bold = Font(bold=True)
    for column, header in enumerate(headers, 1):
        cell = sheet.cell(row=1, column=column, value=_xlsx_text(str(header)))
        cell.data_type = "s"
        cell.font = bold
    for number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif isinstance(value, bool):
                cell.value = value
            elif isinstance(value, dt.datetime):
                cell.value = value.replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal | float) and not math.isfinite(value):
                cell.value = _xlsx_text(str(value))
                cell.data_type = "s"
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
