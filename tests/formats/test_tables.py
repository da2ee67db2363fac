"""Reading tables from real messy spreadsheets (tests/data/spreadsheets)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from coprod.formats.tables import MAX_BYTES, MAX_ROWS, read_table

FILES = Path(__file__).resolve().parent.parent / "data" / "spreadsheets"

MERGED_HEADERS = (
    "Full name",
    "Contact details: E-mail address",
    "Contact details: Phone",
    "Organisation",
    "Stakeholder group",
    "Consent: Happy to be contacted?",
    "Consent: Demographics",
    "Joined",
    "Access needs",
)


def read(name: str):  # type: ignore[no-untyped-def]
    return read_table((FILES / name).read_bytes(), name)


@pytest.mark.parametrize(
    "name", ["roster-merged-headers.xlsx", "roster-libreoffice.ods", "roster-libreoffice.xls"]
)
def test_merged_two_row_headers_blank_rows_and_columns(name: str) -> None:
    table = read(name)
    assert table.ok
    assert table.headers == MERGED_HEADERS
    assert table.layout == "two_row_header"
    assert table.header_row == 4
    assert table.sheet == "Roster" and table.sheets == ("Roster",)
    # Row 7 is blank and left out; rows keep their spreadsheet numbers.
    assert [number for number, _cells in table.rows] == [5, 6, 8, 9]
    # Column I is blank and left out; Access needs stays column J.
    assert table.column_letter(8) == "J"
    assert table.where(1) == "Contact details: E-mail address (column B)"
    first = table.rows[0][1]
    assert first[0] == "Margaret Okafor"
    assert first[7] == dt.date(2026, 4, 3)
    assert first[8] == "Large print papers"


def test_dates_stored_as_text_stay_text_for_the_reader() -> None:
    for name in ("roster-dates-as-text.xlsx", "roster-libreoffice.xlsx"):
        table = read(name)
        assert table.headers == ("Name", "Email", "Organisation", "Group", "Date joined")
        assert [cells[4] for _n, cells in table.rows] == [
            "2026-04-03",
            "03/04/2026",
            "3/4/2026",
            "31/02/2026",
        ]


def test_qualtrics_export_uses_question_text_and_keeps_ids() -> None:
    table = read("qualtrics-roster-survey.csv")
    assert table.layout == "qualtrics"
    assert table.header_row == 2
    assert [number for number, _cells in table.rows] == [4, 5, 6]
    index = table.headers.index("What is your email address?")
    assert table.ids[index] == "Q2"
    assert table.headers[0] == "Start Date"
    assert table.rows[0][1][index] == "pat.moore@example.org"
    assert "Qualtrics" in table.notes[0]


def test_excel_windows_csv_with_semicolons_and_cp1252() -> None:
    table = read("roster-excel-windows.csv")
    assert table.headers[2] == "Organisation/Organization"
    assert [number for number, _cells in table.rows] == [2, 4, 5]
    assert table.rows[0][1][:3] == ("Zoë François", "zoe@example.org", "Café Santé Leeds")
    assert table.rows[0][1][6] == "Zoë F; Z. François"


def test_a_title_row_above_the_header_and_a_tab_delimited_file() -> None:
    data = b"Roster for Steady Steps\n\nName\tEmail\nAnn\tann@example.org\n"
    table = read_table(data, "roster.tsv")
    assert table.headers == ("Name", "Email")
    assert table.header_row == 3
    assert table.rows == ((4, ("Ann", "ann@example.org")),)


def test_a_group_row_without_merges_in_a_csv() -> None:
    data = (
        b",Contact details,,Consent,\n"
        b"Name,Email,Phone,Contact,Demographics\n"
        b"Ann,ann@example.org,,yes,no\n"
    )
    table = read_table(data, "roster.csv")
    assert table.headers == (
        "Name",
        "Contact details: Email",
        "Contact details: Phone",
        "Consent: Contact",
        "Consent: Demographics",
    )
    assert table.header_row == 2


def test_a_sheet_can_be_chosen_and_the_sheets_are_listed() -> None:
    workbook = Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Read me first"])
    people = workbook.create_sheet("People")
    people.append(["Name", "Email"])
    people.append(["Ann", "ann@example.org"])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), "r.xlsx", sheet="People")
    assert table.ok and table.sheets == ("Notes", "People") and table.sheet == "People"
    missing = read_table(out.getvalue(), "r.xlsx", sheet="Staff")
    assert missing.problems[0].message == "no sheet named 'Staff' (the sheets are: Notes, People)"
    assert missing.sheets == ("Notes", "People")


def far_away_cell() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Name"
    workbook.active["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def truncated_xlsx() -> bytes:
    data = (FILES / "roster-merged-headers.xlsx").read_bytes()
    return data[: len(data) // 2]


def encrypted_like() -> bytes:
    # An Office file protected by a password is an OLE container holding these two streams.
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + "EncryptionInfo EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )


def zip_without_sheets() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "r.csv", "the file is empty"),
        (b"x" * (MAX_BYTES + 1), "r.csv", "at most 5 MB"),
        (b"a,b\x00c", "r.csv", "binary data"),
        (b"PK\x03\x04broken", "r.xlsx", "the file is damaged"),
        (b"not a workbook", "r.xlsx", "the file is damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "r.xls", "the file is damaged"),
        (b"just one cell\n", "r.csv", "no header row found"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, name: str, message: str) -> None:
    table = read_table(data, name)
    (problem,) = table.problems
    assert message in problem.message
    assert table.rows == () and problem.file == name


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (far_away_cell, "Coprod reads at most 2,000,000 cells"),
        (truncated_xlsx, "the file is damaged"),
        (encrypted_like, "protected by a password"),
        (zip_without_sheets, "not a spreadsheet"),
    ],
)
def test_dangerous_or_broken_workbooks_get_a_plain_message(make, message: str) -> None:  # type: ignore[no-untyped-def]
    (problem,) = read_table(make(), "r.xlsx").problems
    assert message in problem.message


def test_too_many_rows_are_refused() -> None:
    data = ("Name,Email\n" + "Ann,a@example.org\n" * (MAX_ROWS + 1)).encode()
    (problem,) = read_table(data, "r.csv").problems
    assert f"more than {MAX_ROWS:,} rows" in problem.message


# --- Small workbooks that would take a web worker's memory ---------------------------------------


def xls_with_a_far_away_cell() -> bytes:
    """LibreOffice's roster as .xls, its last text cell moved to IV65536: 7 KB on disk, but
    python-calamine builds the sheet as a 65,536 × 256 grid (about 1 GB) when it opens it."""
    import struct

    data = bytearray((FILES / "roster-libreoffice.xls").read_bytes())
    # LABELSST records: type 0x00FD, length 10, then row, column, format, string index.
    at = data.rfind(b"\xfd\x00\x0a\x00")
    assert at > 0
    data[at + 4 : at + 8] = struct.pack("<HH", 65535, 255)
    return bytes(data)


def ods_with_many_sheets(sheets: int = 10, side: int = 1400) -> bytes:
    """Each sheet is just within the cell limit; together they are not (under 1 KB zipped)."""
    far = (
        f'<table:table-row table:number-rows-repeated="{side - 2}"><table:table-cell/>'
        f'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="'
        f'{side - 1}"/><table:table-cell office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    header = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>Email</text:p>'
        "</table:table-cell></table:table-row>"
    )
    tables = "".join(
        f'<table:table table:name="S{n}">{header}{far}</table:table>' for n in range(sheets)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return out.getvalue()


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_tiny_xls_that_needs_a_gigabyte_is_refused_without_taking_the_memory() -> None:
    data = xls_with_a_far_away_cell()
    assert len(data) < 10_000
    before = _peak_rss_mb()
    (problem,) = read_table(data, "roster.xls").problems
    assert "needs more memory to read than Coprod allows (512 MB)" in problem.message
    assert "save it as CSV" in problem.message and problem.file == "roster.xls"
    # The grid was built (and refused) in a child process: this process did not grow.
    assert _peak_rss_mb() - before < 200


def test_an_ods_whose_sheets_together_are_too_large_is_refused_before_it_is_opened() -> None:
    data = ods_with_many_sheets()
    assert len(data) < 2_000
    before = _peak_rss_mb()
    (problem,) = read_table(data, "roster.ods").problems
    assert "the sheets together spread over more than 2,000,000 cells" in problem.message
    assert _peak_rss_mb() - before < 200
    # A workbook of the same making but a sensible size is read.
    assert "Email" in read_table(ods_with_many_sheets(sheets=3, side=40), "one.ods").headers


def test_a_workbook_that_takes_too_long_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import coprod.formats.tables as tables

    monkeypatch.setattr(tables, "MAX_SECONDS", 0.001)
    (problem,) = read_table((FILES / "roster-libreoffice.xls").read_bytes(), "r.xls").problems
    assert "took longer than" in problem.message


def test_a_refusal_inside_the_child_keeps_the_sheet_names() -> None:
    out = io.BytesIO()
    workbook = Workbook()
    workbook.active.title = "People"
    workbook.save(out)
    table = read_table(out.getvalue(), "r.xlsx", sheet="Staff")
    assert table.sheets == ("People",)
    assert "no sheet named 'Staff'" in table.problems[0].message
