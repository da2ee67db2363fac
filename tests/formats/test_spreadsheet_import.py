"""Spreadsheet imports: every bad row listed with its row and column; nothing imported unclean."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from coprod.core.catalogue import Catalogue
from coprod.core.ids import CostUnit
from coprod.core.problems import Problem
from coprod.formats.spreadsheet_import import (
    MAX_BYTES,
    columns_read,
    read_budget_lines,
    read_time_logs,
)


def xlsx(rows: list[list[Any]], *, title: str | None = None, sheet: str = "Budget") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if title:
        worksheet.append([title])
        worksheet.append([])
    for row in rows:
        worksheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def where(problem: Problem) -> tuple[int | None, int | None]:
    return problem.line, problem.column


CLEAN_CSV = """\
Kind,Description,Amount (£),Quantity,Unit,Rate card,Rate,Date,Who pays,Notes
travel_venue,Venue hire,"£1,100.50",,,,,,grant,booked
Staff time,Fellow's time,,248,hours,staff_cost_example,early_career,01/04/2026,grant,
contributor_payment,Panel,,10,hour,public_contributor_example,hour,2026-05-01,,
"""


def test_a_clean_csv_imports_every_row_by_header_name() -> None:
    result = read_budget_lines(CLEAN_CSV.encode(), "budget.csv")
    assert result.clean and result.rows_read == 3 and result.skipped == 0
    venue, fellow, panel = result.rows
    assert venue.kind == "travel_venue" and venue.amount == Decimal("1100.50")
    assert venue.bearer == "grant"
    assert fellow.kind == "staff_time"  # the label "Staff time" is read as the id
    assert fellow.quantity == Decimal("248") and str(fellow.quantity) == "248"
    assert fellow.unit is CostUnit.HOUR
    assert fellow.date == dt.date(2026, 4, 1)  # DD/MM/YYYY
    assert panel.date == dt.date(2026, 5, 1)
    assert result.row_numbers == (2, 3, 4)
    assert result.ignored_columns == ("Notes",)


def test_headers_ignore_case_spacing_order_and_notes_in_brackets() -> None:
    data = "  DESCRIPTION ,AMOUNT (GBP),kind\nTaxis,12,TRAVEL VENUE\n"
    (line,) = read_budget_lines(data.encode()).rows
    assert (line.kind, line.description, line.amount) == ("travel_venue", "Taxis", Decimal("12.00"))


def test_every_bad_row_is_listed_with_its_row_and_column_and_nothing_is_imported() -> None:
    data = """\
kind,description,amount,date
other,Fine,10.00,2026-01-01
access,Interpreter,-50,
bogus,Thing,12.345,3/4/2026
travel_venue,Taxi,twelve,2026-02-30
,Missing kind,5,
"""
    result = read_budget_lines(data.encode(), "b.csv")
    assert result.rows == () and result.rows_read == 5 and not result.clean
    found = [(p.line, p.column, p.path, p.message) for p in result.problems]
    assert [(line, column) for line, column, _, _ in found] == [
        (3, 3),
        (4, 1),
        (4, 3),
        (4, 4),
        (5, 3),
        (5, 4),
        (6, 1),
    ]
    messages = {(line, path): message for line, _, path, message in found}
    assert messages[(3, "amount (column C)")] == "negative amounts are refused, found '-50'"
    assert messages[(4, "kind (column A)")].startswith(
        "'bogus' is not a kind of cost: expected one"
    )
    assert "at most 2 decimal places" in messages[(4, "amount (column C)")]
    date_message = messages[(4, "date (column D)")]
    assert "2026-04-03 or 03/04/2026" in date_message and "'3/4/2026'" in date_message
    assert messages[(5, "amount (column C)")] == (
        "expected an amount such as 1250.00, found 'twelve'"
    )
    assert messages[(5, "date (column D)")] == "'2026-02-30' is not a real date"
    assert messages[(6, "kind (column A)")] == "kind is required"
    assert str(result.problems[0]) == (
        "b.csv:3:3: amount (column C): negative amounts are refused, found '-50'"
    )


def test_good_rows_only_imports_the_good_rows_and_still_lists_the_bad() -> None:
    data = "kind,description,amount\nother,Fine,10\naccess,Bad,-1\nother,Also fine,2.5\n"
    result = read_budget_lines(data.encode(), good_rows_only=True)
    assert [line.description for line in result.rows] == ["Fine", "Also fine"]
    assert result.row_numbers == (2, 4)
    assert [where(p) for p in result.problems] == [(3, 3)]
    assert result.skipped == 1


def test_a_line_without_amount_or_rate_is_refused_for_the_row() -> None:
    data = "kind,description,quantity,rate_card\nother,Half priced,3,public_contributor_example\n"
    (problem,) = read_budget_lines(data.encode()).problems
    assert problem.line == 2 and problem.column is None and problem.path == "row"
    assert "needs rate, date as well" in problem.message


def test_with_a_catalogue_unknown_cards_and_rates_are_found_in_their_column(
    catalogue: Catalogue,
) -> None:
    data = (
        "kind,description,quantity,rate card,rate,date\n"
        "other,A,1,nihr,hour,2026-01-01\n"
        "other,B,1,public_contributor_example,minute,2026-01-01\n"
        "other,C,1,public_contributor_example,hour,2020-01-01\n"
    )
    result = read_budget_lines(data.encode(), catalogue=catalogue)
    assert [(p.line, p.path) for p in result.problems] == [
        (2, "rate_card (column D)"),
        (3, "rate (column E)"),
        (4, "date (column F)"),
    ]


def test_an_xlsx_with_a_title_above_the_header_and_real_dates() -> None:
    data = xlsx(
        [
            ["Kind", "Description", "Amount", "Date", "Quantity"],
            ["other", "Printing", 120.5, dt.datetime(2026, 3, 4), None],
            ["access", "BSL interpreter", 300, "04/03/2026", None],
            ["other", "Typed date", 5, "3/4/2026", None],
            [None, None, None, None, None],
            ["other", "Three places", 12.345, None, None],
        ],
        title="Our budget",
    )
    result = read_budget_lines(data, "budget.xlsx")
    assert [(p.line, p.column) for p in result.problems] == [(6, 4), (8, 3)]
    assert result.rows == ()
    good = read_budget_lines(data, "budget.xlsx", good_rows_only=True)
    assert [(line.description, line.amount, line.date) for line in good.rows] == [
        ("Printing", Decimal("120.50"), dt.date(2026, 3, 4)),
        ("BSL interpreter", Decimal("300.00"), dt.date(2026, 3, 4)),
    ]
    assert good.row_numbers == (4, 5)


def test_an_xlsx_sheet_can_be_chosen_by_name() -> None:
    data = xlsx([["kind", "description", "amount"], ["other", "x", 1]], sheet="Costs")
    assert read_budget_lines(data, "b.xlsx", sheet="Costs").clean
    (problem,) = read_budget_lines(data, "b.xlsx", sheet="Budget").problems
    assert problem.message == "no sheet named 'Budget' (the sheets are: Costs)"


def test_formula_looking_text_is_read_as_text_never_run() -> None:
    data = 'kind,description,amount\nother,"=HYPERLINK(""http://x"")",1\n'
    (line,) = read_budget_lines(data.encode()).rows
    assert line.description == '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "b.csv", "the file is empty"),
        (b"\xd0\xcf\x11\xe0rest", "b.xls", "an old Excel .xls file"),
        (b"PK\x03\x04not really a zip", "b.xlsx", "not a readable .xlsx workbook"),
        (b"kind,amount\nother,1\n", "b.csv", "no column for description"),
        (b"kind,description,Kind\nother,x,other\n", "b.csv", "columns given twice: Kind"),
        (b"a,b\x00c", "b.csv", "binary data"),
        (b"x" * (MAX_BYTES + 1), "b.csv", "at most 5 MB"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, name: str, message: str) -> None:
    result = read_budget_lines(data, name, good_rows_only=True)
    assert result.rows == ()
    (problem,) = result.problems
    assert message in problem.message
    assert problem.file == name


def test_excel_csv_in_windows_encoding_and_semicolons() -> None:
    data = "kind;description;amount\nother;Room at £50;50\n".encode("cp1252")
    (line,) = read_budget_lines(data).rows
    assert line.description == "Room at £50"


# --- Time logs -----------------------------------------------------------------------------------


def test_time_logs_import_with_optional_rates() -> None:
    data = (
        "Person,Activity,Date,Hours,Role,Rate card,Rate\n"
        "tomasz,Advisory group,2026-05-12,3.5,research fellow,staff_cost_example,early_career\n"
        "helen,Steering committee,12/05/2026,1,,,\n"
    )
    result = read_time_logs(data.encode(), "time.csv")
    assert result.clean
    first, second = result.rows
    assert first.hours == Decimal("3.50") and first.rate == "early_career"
    assert first.kind == "staff_time"
    assert second.date == dt.date(2026, 5, 12) and second.rate_card is None


def test_bad_time_logs_are_listed() -> None:
    data = (
        "person,activity,date,hours,rate_card,rate\n"
        "tomasz,Panel,2026-05-12,25,,\n"
        ",Panel,2026-05-12,2,,\n"
        "helen,Panel,5/12/2026,-1,,\n"
        "amy,Panel,2026-05-12,2,staff_cost_example,\n"
    )
    result = read_time_logs(data.encode(), "t.csv")
    assert result.rows == ()
    assert [(p.line, p.path) for p in result.problems] == [
        (2, "hours (column D)"),
        (3, "person (column A)"),
        (4, "date (column C)"),
        (4, "hours (column D)"),
        (5, "rate (column F)"),
    ]
    assert "at most 24 hours" in result.problems[0].message
    assert result.problems[-1].message == "give a rate too, or neither"


def test_columns_read_lists_the_headers_each_field_accepts() -> None:
    budget_columns = {c["field"]: c for c in columns_read("budget")}
    assert budget_columns["bearer"]["headers"] == ["bearer", "who_pays", "paid_by", "payer"]
    assert budget_columns["kind"]["required"]
    assert {c["field"] for c in columns_read("time")} >= {"person", "activity", "date", "hours"}
