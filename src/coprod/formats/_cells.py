"""Helpers shared by the spreadsheet readers: reading one cell, naming a column, decoding a CSV.

Private to ``coprod.formats``: the public readers are ``spreadsheet_import``, ``tables`` and
``roster_import``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

Cell = object
"""A value as a spreadsheet gives it: text, a number, a date, a boolean or None."""


class Refused(Exception):
    """The file cannot be read at all."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        self.sheets: tuple[str, ...] = ()
        super().__init__(message)


class BadCell(ValueError):
    """A cell does not hold what its column expects."""


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def found(value: Cell) -> str:
    """A cell's value quoted for a message, cut to 40 characters."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def text(value: Cell) -> str | None:
    """A cell as one line of text with single spaces, or None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    joined = " ".join(str(value).split())
    return joined or None


def date(value: Cell) -> dt.date:
    """A spreadsheet date, or text written 2026-04-03 or 03/04/2026 (day/month/year)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise BadCell(f"expected a date without a time, found {value.isoformat(' ')}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    expected = "expected a date written 2026-04-03 or 03/04/2026 (day/month/year)"
    if not isinstance(value, str):
        raise BadCell(f"{expected}, found {found(value)}")
    stripped = value.strip()
    if match := _ISO_DATE.match(stripped):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK_DATE.match(stripped):
        day, month, year = (int(part) for part in match.groups())
    else:
        hint = ""
        if re.match(r"^\d{1,2}/\d{1,2}/\d{2,4}$", stripped):
            hint = (
                ": write the day and month with two digits each and the year in full, "
                "so that it cannot be misread"
            )
        raise BadCell(f"{expected}, found {found(value)}{hint}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadCell(f"{found(value)} is not a real date") from None


def key(value: str) -> str:
    """A header or a value as a key: case, spacing and punctuation ignored, brackets dropped."""
    value = re.sub(r"\([^)]*\)", " ", value)
    return re.sub(r"[^0-9a-z]+", "_", value.casefold()).strip("_")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def decode_text(data: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without a byte-order mark), else Windows' cp1252."""
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = data.decode("cp1252")  # what Excel on Windows saves as "CSV"
        except UnicodeDecodeError:
            raise Refused("not a text file: save the sheet as CSV (UTF-8) or .xlsx") from None
    if "\x00" in decoded:
        raise Refused("binary data: save the sheet as CSV (UTF-8) or .xlsx")
    return decoded


def csv_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, list[Cell]]]:
    """Rows of a CSV file, numbered from 1, each cut to ``max_columns`` cells.

    The delimiter (comma, semicolon or tab) is the one the first non-blank line uses most, or,
    when that line (a title) holds none, the one the next lines use most.
    A row number counts records, so a cell holding a line break does not shift later rows.
    """
    decoded = decode_text(data)
    lines = [line for line in decoded.splitlines()[:100] if line.strip()][:20]
    first = next(iter(lines), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    if first.count(delimiter) == 0:  # a title line: look at the lines below it
        delimiter = max(",;\t", key=lambda mark: sum(line.count(mark) for line in lines))
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, 1):
            yield number, list(values[:max_columns])
    except csv.Error as error:
        raise Refused(f"the CSV cannot be read: {error}", reader.line_num) from None
