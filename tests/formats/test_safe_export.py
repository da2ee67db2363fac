"""Exports that a spreadsheet opens without running any cell as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from coprod.formats.safe_export import (
    FORMULA_STARTS,
    escape_cell,
    table_csv,
    table_xlsx,
    unescape_cell,
)

DANGEROUS = [
    "=1+1",
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "＝1+1",
    "＋1",
    "－1",
    "＠x",
    "'quoted",
]


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_escapes_formulas_and_keeps_numbers() -> None:
    rows = [[*DANGEROUS, -5, Decimal("12.50"), dt.date(2026, 4, 3), True, None]]
    (header, row) = csv_cells(table_csv(["=head", *["x"] * 15], rows))
    assert header[0] == "'=head"
    assert row[: len(DANGEROUS)] == ["'" + text for text in DANGEROUS]
    assert row[len(DANGEROUS) :] == ["-5", "12.50", "2026-04-03", "TRUE", ""]


def test_xlsx_writes_text_as_strings_and_numbers_as_numbers() -> None:
    rows = [['=HYPERLINK("http://x")', -5, 2.5, dt.date(2026, 4, 3), "Zoë"]]
    data = table_xlsx(["Name", "Amount", "Hours", "Date", "Note"], rows, title="Roster: May/June")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Roster- May-June"
    cells = list(next(sheet.iter_rows(min_row=2)))
    assert cells[0].data_type == "s" and cells[0].value == '\'=HYPERLINK("http://x")'
    assert cells[1].value == -5 and cells[1].data_type == "n"
    assert cells[2].value == 2.5
    assert cells[3].value == dt.datetime(2026, 4, 3)
    assert cells[4].value == "Zoë"


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_csv_round_trips_any_text_and_never_starts_a_formula(texts: list[str]) -> None:
    (_header, row) = csv_cells(table_csv(["a"] * len(texts), [texts]))
    assert [unescape_cell(cell) for cell in row] == texts
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["\t", "\r", "\n", "=", "-", "+", "@", "'"]),
    max_size=20,
)


@settings(max_examples=30, deadline=None)
@given(st.lists(xml_text, min_size=1, max_size=4))
def test_xlsx_round_trips_text_and_never_holds_a_formula(texts: list[str]) -> None:
    sheet = load_workbook(io.BytesIO(table_xlsx(["a"] * len(texts), [texts], title="T"))).active
    cells = [sheet.cell(row=2, column=column) for column in range(1, len(texts) + 1)]
    read = [cell.value or "" for cell in cells]
    assert [unescape_cell(value) for value in read] == texts
    assert all(cell.data_type in ("s", "n") for cell in cells)
    assert not any(value.startswith(FORMULA_STARTS) for value in read)


def test_escape_leaves_ordinary_text() -> None:
    assert escape_cell("Ann") == "Ann"
    assert escape_cell(" =1") == " =1"
