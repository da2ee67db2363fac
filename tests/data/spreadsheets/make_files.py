"""Make the spreadsheets in this folder. Run from the repository root:

    .venv/bin/python tests/data/spreadsheets/make_files.py

The openpyxl files are written directly; the LibreOffice files need ``soffice`` (Debian's
libreoffice-calc-nogui) and are saved by LibreOffice itself. CI uses the committed files and
needs neither.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent


def merged_headers() -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Roster"
    sheet["A1"] = "Steady Steps – stakeholder roster (May 2026)"
    sheet.merge_cells("A1:J1")
    sheet["A1"].font = Font(bold=True, size=14)
    # row 2 left blank
    sheet["A3"] = "Full name"
    sheet.merge_cells("A3:A4")
    sheet["B3"] = "Contact details"
    sheet.merge_cells("B3:C3")
    sheet["B4"] = "E-mail address"
    sheet["C4"] = "Phone"
    sheet["D3"] = "Organisation"
    sheet.merge_cells("D3:D4")
    sheet["E3"] = "Stakeholder group"
    sheet.merge_cells("E3:E4")
    sheet["F3"] = "Consent"
    sheet.merge_cells("F3:G3")
    sheet["F4"] = "Happy to be contacted?"
    sheet["G4"] = "Demographics"
    sheet["H3"] = "Joined"
    sheet.merge_cells("H3:H4")
    # column I left blank
    sheet["J3"] = "Access needs"
    sheet.merge_cells("J3:J4")
    rows = [
        [
            "Margaret Okafor",
            "m.okafor@example.org",
            "07700 900123",
            "Age UK Leeds",
            "Carer",
            "yes",
            "no",
            dt.date(2026, 4, 3),
            None,
            "Large print papers",
        ],
        [
            "Dr Tomasz Nowak",
            "T.Nowak@Example.ac.uk",
            None,
            "University of Leeds",
            "researcher",
            "y",
            "n",
            dt.date(2026, 4, 10),
            None,
            None,
        ],
        None,  # a blank row between people
        [
            "Helen Price",
            "helen.price@example.nhs.uk",
            "0113 496 0000",
            "Leeds Community Healthcare",
            "GP",
            "✓",
            None,
            dt.date(2026, 5, 1),
            None,
            "Step-free access",
        ],
        [
            "Amir Haddad",
            None,
            None,
            "Leeds City Council",
            "commissioner",
            "no",
            "no",
            dt.date(2026, 5, 12),
            None,
            None,
        ],
    ]
    for number, values in enumerate(rows, 5):
        if values is None:
            continue
        for column, value in enumerate(values, 1):
            if value is not None:
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    path = HERE / "roster-merged-headers.xlsx"
    workbook.save(path)
    return path


def dates_as_text() -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "People"
    sheet.append(["Name", "Email", "Organisation", "Group", "Date joined"])
    sheet.append(["Ruth Adeyemi", "ruth@example.org", "Leeds Carers", "patient", "2026-04-03"])
    sheet.append(["Sam Lee", "sam@example.org", "Leeds Carers", "patient", "03/04/2026"])
    sheet.append(["Jo Black", "jo@example.org", "NHS", "nurse", "3/4/2026"])
    sheet.append(["Ali Khan", "ali@example.org", "NHS", "nurse", "31/02/2026"])
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "@"  # cells formatted as text, as many sheets are
    path = HERE / "roster-dates-as-text.xlsx"
    workbook.save(path)
    return path


def libreoffice(source: Path, target: str, name: str) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print(f"soffice not found: {name} not made")
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [soffice, "--headless", "--convert-to", target, "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        (made,) = Path(folder).iterdir()
        shutil.move(made, HERE / name)


if __name__ == "__main__":
    merged = merged_headers()
    dates = dates_as_text()
    libreoffice(merged, "ods", "roster-libreoffice.ods")
    libreoffice(merged, "xls", "roster-libreoffice.xls")
    libreoffice(dates, "xlsx", "roster-libreoffice.xlsx")
