"""Read budget lines and time logs from a spreadsheet (XLSX) or a CSV file.

Columns are found by their header, whatever their order, case or spacing ("Rate card",
"rate_card" and "RATE CARD" are the same column; a note in brackets, as in "Amount (£)", is
ignored). Every bad row is listed with its row number, its column and what was expected. Nothing
is imported until the file is clean, unless the caller asks for the good rows only: the problems
are listed either way, so nothing is dropped without a word.

Dates are accepted as spreadsheet dates, or written as text in ISO form (2026-04-03) or as
DD/MM/YYYY (03/04/2026). Other forms, such as 3/4/2026, are refused: they are read as 3 April in
some places and 4 March in others.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from coprod.core.catalogue import Catalogue
from coprod.core.costs import KIND_LABELS, KINDS, BudgetError, TimeLog, line_amount
from coprod.core.ids import CostUnit, Stage
from coprod.core.plan import CostLine
from coprod.core.problems import Problem
from coprod.formats._cells import BadCell as _BadCell
from coprod.formats._cells import Cell
from coprod.formats._cells import Refused as _Refused
from coprod.formats._cells import column_letter as _column_letter
from coprod.formats._cells import csv_rows as _csv_rows
from coprod.formats._cells import date as _date
from coprod.formats._cells import found as _found
from coprod.formats._cells import key as _key
from coprod.formats._cells import text as _text

MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
"""The header may sit below a title: it is looked for in the first rows."""

T = TypeVar("T")


@dataclass(frozen=True)
class ImportResult(Generic[T]):
    """What a file held: the rows read, and every problem found, each with row and column.

    ``rows`` is empty when there are problems, unless the import asked for the good rows only.
    ``row_numbers`` gives the spreadsheet row of each entry of ``rows``.
    """

    rows: tuple[T, ...]
    row_numbers: tuple[int, ...]
    problems: tuple[Problem, ...]
    rows_read: int
    ignored_columns: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def skipped(self) -> int:
        """Rows read but not imported."""
        return self.rows_read - len(self.rows)


@dataclass(frozen=True)
class _Column:
    field: str
    aliases: tuple[str, ...]
    parse: Callable[[Cell], object]
    required: bool = False


# --- Reading cells -------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<sign>-)?\s*[£€$]?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?$"
)
_CENT = Decimal("0.01")


def _number(value: Cell, what: str) -> Decimal:
    if isinstance(value, bool | dt.date | dt.time):
        raise _BadCell(f"expected {what}, found {_found(value)}")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # The shortest text that reads back as the same float: what the spreadsheet shows.
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip()
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]  # accounting style for a negative amount
        match = _NUMBER.match(text.replace(" ", "")) if text else None
        if match is None:
            raise _BadCell(f"expected {what}, found {_found(value)}")
        text = f"{match['sign'] or ''}{match['digits'].replace(',', '')}{match['frac'] or ''}"
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _BadCell(f"expected {what}, found {_found(value)}") from None
    if not number.is_finite():
        raise _BadCell(f"expected {what}, found {_found(value)}")
    return number


def _two_places(number: Decimal, what: str, value: Cell) -> Decimal:
    if number < 0:
        raise _BadCell(f"negative {what} are refused, found {_found(value)}")
    if number != number.quantize(_CENT, rounding=ROUND_HALF_UP):
        raise _BadCell(f"{what} take at most 2 decimal places, found {_found(value)}")
    return number.quantize(_CENT)


def _money(value: Cell) -> Decimal:
    return _two_places(_number(value, "an amount such as 1250.00"), "amounts", value)


def _quantity(value: Cell) -> Decimal:
    number = _two_places(_number(value, "a number such as 12 or 2.5"), "quantities", value)
    return number.to_integral_value() if number == number.to_integral_value() else number


def _hours(value: Cell) -> Decimal:
    number = _two_places(_number(value, "a number of hours such as 1.5"), "hours", value)
    if number > 24:
        raise _BadCell(f"at most 24 hours can be logged for one day, found {_found(value)}")
    return number


_KINDS = {_key(kind): kind for kind in KINDS} | {
    _key(label): kind for kind, label in KIND_LABELS.items()
}


def _kind(value: Cell) -> str:
    text = _text(value) or ""
    kind = _KINDS.get(_key(text))
    if kind is None:
        raise _BadCell(f"{_found(value)} is not a kind of cost: expected one of {', '.join(KINDS)}")
    return kind


def _unit(value: Cell) -> CostUnit:
    key = _key(_text(value) or "")
    for unit in CostUnit:
        if key in (unit.value, unit.value + "s"):
            return unit
    choices = ", ".join(unit.value for unit in CostUnit)
    raise _BadCell(f"{_found(value)} is not a unit: expected one of {choices}")


def _stage(value: Cell) -> Stage:
    key = _key(_text(value) or "")
    for stage in Stage:
        if key == stage.value:
            return stage
    choices = ", ".join(stage.value for stage in Stage)
    raise _BadCell(f"{_found(value)} is not a stage: expected one of {choices}")


def _currency(value: Cell) -> str:
    text = (_text(value) or "").upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise _BadCell(f"expected a three-letter currency code such as GBP, found {_found(value)}")
    return text


def _identifier(value: Cell) -> str:
    return _key(_text(value) or "")


def _plain(value: Cell) -> str:
    return _text(value) or ""


BUDGET_COLUMNS = (
    _Column("kind", ("kind", "type", "category", "cost_kind"), _kind, required=True),
    _Column("description", ("description", "item", "details"), _plain, required=True),
    _Column("amount", ("amount", "cost", "total"), _money),
    _Column("quantity", ("quantity", "qty", "number"), _quantity),
    _Column("unit", ("unit", "units"), _unit),
    _Column("rate_card", ("rate_card", "card"), _identifier),
    _Column("rate", ("rate", "rate_id"), _identifier),
    _Column("date", ("date", "activity_date", "when"), _date),
    _Column("role", ("role",), _plain),
    _Column("currency", ("currency",), _currency),
    _Column("bearer", ("bearer", "who_pays", "paid_by", "payer"), _plain),
    _Column("stage", ("stage",), _stage),
)

TIME_LOG_COLUMNS = (
    _Column("person", ("person", "name", "who"), _plain, required=True),
    _Column("activity", ("activity", "what", "task"), _plain, required=True),
    _Column("date", ("date", "activity_date", "when"), _date, required=True),
    _Column("hours", ("hours", "time", "hours_spent"), _hours, required=True),
    _Column("role", ("role",), _plain),
    _Column("kind", ("kind", "type", "category"), _kind),
    _Column("rate_card", ("rate_card", "card"), _identifier),
    _Column("rate", ("rate", "rate_id"), _identifier),
)


# --- Reading files -------------------------------------------------------------------------------


def _xlsx_rows(data: bytes, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    import zipfile

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _Refused(f"not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = ", ".join(workbook.sheetnames)
            raise _Refused(f"no sheet named '{sheet}' (the sheets are: {names})")
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
            yield number, list(values[:MAX_COLUMNS])
    finally:
        workbook.close()


def _rows(data: bytes, name: str, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    if len(data) > MAX_BYTES:
        raise _Refused(f"the file is {len(data) / 1_000_000:.1f} MB; at most 5 MB is read")
    if not data.strip():
        raise _Refused("the file is empty")
    lower = name.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise _Refused("an old Excel .xls file: save it as .xlsx or CSV and try again")
    if data.startswith(b"PK\x03\x04") or lower.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(data, sheet)
    return _csv_rows(data, MAX_COLUMNS)


def _match_header(
    values: Sequence[Cell], columns: Sequence[_Column]
) -> tuple[dict[str, int], list[str], list[str]]:
    """Field → column index, headers not used, and headers given twice."""
    aliases = {alias: column.field for column in columns for alias in column.aliases}
    found: dict[str, int] = {}
    ignored: list[str] = []
    twice: list[str] = []
    for index, value in enumerate(values):
        header = _text(value)
        if header is None:
            continue
        field = aliases.get(_key(header))
        if field is None:
            ignored.append(header)
        elif field in found:
            twice.append(header)
        else:
            found[field] = index
    return found, ignored, twice


def _read(
    data: bytes,
    name: str,
    columns: Sequence[_Column],
    build: Callable[[dict[str, object], Callable[[str], int | None]], T],
    *,
    good_rows_only: bool,
    sheet: str | None,
) -> ImportResult[T]:
    def refused(message: str, line: int | None = None) -> ImportResult[T]:
        return ImportResult((), (), (Problem(name, line, None, "", message),), 0, ())

    required = [column.field for column in columns if column.required]
    try:
        rows = _rows(data, name, sheet)
        header_row = 0
        header: dict[str, int] = {}
        ignored: list[str] = []
        twice: list[str] = []
        seen = 0
        for number, values in rows:
            if not any(_text(value) for value in values):
                continue
            seen += 1
            matched, unused, repeated = _match_header(values, columns)
            complete = all(field in matched for field in required)
            if complete or not header_row or len(matched) > len(header):
                # The first row naming every required column, else the one naming the most.
                header_row, header, ignored, twice = number, matched, unused, repeated
            if complete or seen >= HEADER_SEARCH_ROWS:
                break
        if not header_row:
            return refused("no rows: the first row should name the columns")
        missing = [field for field in required if field not in header]
        if missing:
            expected = ", ".join(column.field for column in columns)
            message = (
                f"no column for {', '.join(missing)}: the header row needs columns named "
                f"{', '.join(required)} (columns Coprod reads: {expected})"
            )
            return refused(message, header_row)
        if twice:
            return refused(f"columns given twice: {', '.join(twice)}", header_row)
        parsed: list[tuple[int, T]] = []
        problems: list[Problem] = []
        read = 0
        for number, values in rows:
            if not any(_text(value) for value in values):
                continue
            read += 1
            if read > MAX_ROWS:
                return refused(f"more than {MAX_ROWS} rows: split the file", number)
            found = _parse_row(name, number, values, header, columns, build)
            if isinstance(found, list):
                problems.extend(found)
            else:
                parsed.append((number, found))
    except _Refused as error:
        return refused(error.message, error.line)
    keep = parsed if good_rows_only or not problems else []
    return ImportResult(
        rows=tuple(row for _number, row in keep),
        row_numbers=tuple(number for number, _row in keep),
        problems=tuple(problems),
        rows_read=read,
        ignored_columns=tuple(ignored),
    )


def _parse_row(
    name: str,
    number: int,
    values: Sequence[Cell],
    header: dict[str, int],
    columns: Sequence[_Column],
    build: Callable[[dict[str, object], Callable[[str], int | None]], T],
) -> T | list[Problem]:
    problems: list[Problem] = []
    fields: dict[str, object] = {}

    def where(field: str) -> str:
        index = header.get(field)
        return field if index is None else f"{field} (column {_column_letter(index)})"

    def column_of(field: str) -> int | None:
        index = header.get(field)
        return None if index is None else index + 1

    for column in columns:
        index = header.get(column.field)
        value = values[index] if index is not None and index < len(values) else None
        if _text(value) is None:
            if column.required:
                message = f"{column.field} is required"
                problems.append(
                    Problem(name, number, column_of(column.field), where(column.field), message)
                )
            continue
        try:
            fields[column.field] = column.parse(value)
        except _BadCell as error:
            problems.append(
                Problem(name, number, column_of(column.field), where(column.field), str(error))
            )
    if problems:
        return problems
    try:
        return build(fields, column_of)
    except _RowProblems as error:
        return [
            Problem(
                name,
                number,
                column_of(field) if field else None,
                where(field) if field else "row",
                message,
            )
            for field, message in error.problems
        ]


class _RowProblems(Exception):
    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(message for _field, message in problems))


def _budget_line(
    catalogue: Catalogue | None,
) -> Callable[[dict[str, object], Callable[[str], int | None]], CostLine]:
    def build(fields: dict[str, object], column_of: Callable[[str], int | None]) -> CostLine:
        try:
            line = CostLine.model_validate(fields)
        except ValidationError as error:
            found: list[tuple[str | None, str]] = []
            for item in error.errors():
                field = str(item["loc"][0]) if item["loc"] else None
                message = str(item["msg"]).replace("Value error, ", "")
                found.append((field if field in fields else None, message))
            raise _RowProblems(found) from None
        if catalogue is not None:
            try:
                line_amount(line, catalogue)
            except BudgetError as error:
                raise _RowProblems(
                    [
                        (problem.field if problem.field in fields else None, problem.message)
                        for problem in error.problems
                    ]
                ) from None
        return line

    return build


def _time_log(fields: dict[str, object], column_of: Callable[[str], int | None]) -> TimeLog:
    if ("rate_card" in fields) != ("rate" in fields):
        missing = "rate" if "rate_card" in fields else "rate_card"
        raise _RowProblems(
            [(missing if column_of(missing) else None, f"give a {missing} too, or neither")]
        )
    try:
        return TimeLog(**fields)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise _RowProblems([(None, str(error))]) from None


def read_budget_lines(
    data: bytes,
    name: str = "budget.csv",
    *,
    good_rows_only: bool = False,
    catalogue: Catalogue | None = None,
    sheet: str | None = None,
) -> ImportResult[CostLine]:
    """Budget lines from a spreadsheet. With ``catalogue``, rate cards and rates are checked too."""
    return _read(
        data,
        name,
        BUDGET_COLUMNS,
        _budget_line(catalogue),
        good_rows_only=good_rows_only,
        sheet=sheet,
    )


def read_time_logs(
    data: bytes,
    name: str = "time.csv",
    *,
    good_rows_only: bool = False,
    sheet: str | None = None,
) -> ImportResult[TimeLog]:
    """Time logs (person, activity, date, hours, and optionally role, kind and rate)."""
    return _read(
        data, name, TIME_LOG_COLUMNS, _time_log, good_rows_only=good_rows_only, sheet=sheet
    )


def columns_read(kind: str) -> list[dict[str, Any]]:
    """The columns an import reads, with the header names each accepts, for help text."""
    columns = BUDGET_COLUMNS if kind == "budget" else TIME_LOG_COLUMNS
    return [
        {"field": column.field, "headers": list(column.aliases), "required": column.required}
        for column in columns
    ]
