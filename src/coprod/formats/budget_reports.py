"""A budget as JSON data, terminal text, an XLSX laid out as grant forms ask, and a DOCX section.

Amounts are written as decimal strings in JSON and as numbers with a currency format in the
spreadsheet, never through a float in Coprod's own arithmetic. Text a user typed is always written
to a spreadsheet as text: a description starting with ``=``, ``+``, ``-`` or ``@`` is never a
formula.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from coprod.core.costs import (
    KIND_LABELS,
    KINDS,
    UNIT_WORDS,
    Budget,
    BudgetLine,
)

CHECK_RATES = (
    "Rates change and the shipped rate cards hold example figures: check every rate against your "
    "funder's current guidance and your finance office before you submit."
)
HOW_PRICED = (
    "Payments to public contributors and staff time are priced from rate cards: the quantity "
    "times the rate in force on the date of the activity. Other lines are fixed amounts."
)
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}

# Characters XML 1.0 cannot hold; openpyxl and python-docx refuse them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def decimal_string(value: Decimal) -> str:
    """A Decimal as plain digits, never in exponent form: ``Decimal('1E+2')`` → ``'100'``."""
    return format(value, "f")


def money_text(amount: Decimal, currency: str) -> str:
    """``£1,234.50``, or ``1,234.50 SEK`` for a currency without a common symbol."""
    symbol = SYMBOLS.get(currency)
    digits = f"{amount:,.2f}"
    return f"{symbol}{digits}" if symbol else f"{digits} {currency}"


def _quantity(line: BudgetLine) -> str | None:
    if line.quantity is None:
        return None
    if line.unit is None:
        return decimal_string(line.quantity.normalize())
    one, many = UNIT_WORDS[line.unit]
    return f"{decimal_string(line.quantity.normalize())} {one if line.quantity == 1 else many}"


def calculation(line: BudgetLine, currency: str, *, short: bool = False) -> str:
    """How a line's amount was reached: '120 hours × £27.50 per hour (rate 'hour' of …)'."""
    if line.pricing is None:
        return "fixed amount"
    pricing = line.pricing
    quantity = _quantity(line) or ""
    rate = money_text(pricing.rate_amount, currency)
    worked = f"{quantity} × {rate} per {UNIT_WORDS[pricing.unit][0]}"
    since = pricing.valid_from.isoformat()
    if short:
        return f"{worked}, the rate from {since}"
    return f"{worked} (rate '{pricing.rate}' of {pricing.rate_card}, from {since})"


# --- JSON ----------------------------------------------------------------------------------------


def _line(line: BudgetLine, currency: str) -> dict[str, Any]:
    pricing = line.pricing
    return {
        "index": line.index,
        "kind": line.kind,
        "kind_label": line.kind_label,
        "description": line.description,
        "bearer": line.bearer,
        "stage": line.stage.value if line.stage else None,
        "role": line.role,
        "quantity": decimal_string(line.quantity) if line.quantity is not None else None,
        "unit": line.unit.value if line.unit else None,
        "rate": decimal_string(pricing.rate_amount) if pricing else None,
        "amount": decimal_string(line.amount),
        "currency": line.currency,
        "calculation": calculation(line, currency),
        "priced_from": (
            {
                "rate_card": pricing.rate_card,
                "card_label": pricing.card_label,
                "card_version": pricing.card_version,
                "rate": pricing.rate,
                "rate_label": pricing.rate_label,
                "rate_amount": decimal_string(pricing.rate_amount),
                "unit": pricing.unit.value,
                "valid_from": pricing.valid_from.isoformat(),
                "on": pricing.on.isoformat(),
                "note": pricing.note,
            }
            if pricing
            else None
        ),
    }


def budget_data(budget: Budget) -> dict[str, Any]:
    """The budget as data. Every amount is a decimal string, and the totals add up exactly."""
    return {
        "currency": budget.currency,
        "lines": [_line(line, budget.currency) for line in budget.lines],
        "total": decimal_string(budget.total),
        "by_kind": {kind: decimal_string(amount) for kind, amount in budget.by_kind.items()},
        "by_bearer": {
            bearer: decimal_string(amount) for bearer, amount in budget.by_bearer.items()
        },
        "kind_labels": {kind: KIND_LABELS[kind] for kind in budget.by_kind},
        "rate_cards": [
            {
                "id": card.id,
                "label": card.label,
                "version": card.version,
                "currency": card.currency,
                "help": card.help,
                "source": card.citation,
                "url": card.url,
            }
            for card in budget.cards
        ],
        "note": CHECK_RATES,
    }


# --- Terminal text -------------------------------------------------------------------------------

_WIDTH = 88


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


def _row(label: str, amount: str, indent: str = "") -> str:
    """``label`` with ``amount`` at the right margin; a long label wraps, it is never cut."""
    space = _WIDTH - len(indent) - len(amount) - 1
    hanging = " " * len(indent)
    parts = textwrap.wrap(" ".join(label.split()), width=max(space - 3, 20)) or [""]
    first = f"{indent}{parts[0]:<{space}} {amount}"
    return "\n".join([first, *(f"{hanging}{part}" for part in parts[1:])])


def budget_text(budget: Budget, title: str | None = None) -> str:
    """A budget that reads well in a terminal: lines by kind, subtotals, total, who pays."""
    currency = budget.currency
    heading = f"Involvement budget: {title}" if title else "Involvement budget"
    wrapped = textwrap.wrap(heading, _WIDTH)
    out = [*wrapped, "═" * max(len(part) for part in wrapped), ""]
    if not budget.lines:
        out += ["No budget lines yet: add them under 'costs' in the plan file.", ""]
    for kind in KINDS:
        lines = budget.lines_of(kind)
        if not lines:
            continue
        out.append(_row(KIND_LABELS[kind], money_text(budget.by_kind[kind], currency)))
        for line in lines:
            out.append(_row(line.description, money_text(line.amount, currency), "  • "))
            detail = f"{calculation(line, currency)}; paid by {line.bearer}"
            out.append(_wrap(detail, "      "))
        out.append("")
    out.append(_row("Total", money_text(budget.total, currency)))
    out.append("─" * _WIDTH)
    if budget.by_bearer:
        out.append("Who pays or gives the time:")
        for bearer, amount in budget.by_bearer.items():
            out.append(_row(bearer, money_text(amount, currency), "  "))
    if budget.cards:
        out += ["", "Rate cards used:"]
        for card in budget.cards:
            out.append(_wrap(f"{card.label} (version {card.version})", "    ", "  • "))
            out.append(_wrap(f"Source: {card.citation}", "    "))
    out += ["", _wrap(f"{HOW_PRICED} {CHECK_RATES}")]
    return "\n".join(out) + "\n"


# --- XLSX ----------------------------------------------------------------------------------------

HEADERS = ("Kind", "Description", "Who pays", "Quantity", "Unit", "Rate", "Amount")
COLUMN_WIDTHS = (28, 60, 22, 10, 8, 12, 14)
_LINE_HEIGHT = 15
AMOUNT_COLUMN = "G"


def number_format(currency: str) -> str:
    """An Excel number format showing the currency: '"£"#,##0.00'."""
    symbol = SYMBOLS.get(currency)
    return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00" {currency}"'


def _set_text(cell: Any, text: str) -> None:
    """Write text a user typed as text, never as a formula."""
    cell.value = _clean(text)
    if cell.value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _fit_rows(sheet: Any, first_row: int, top: Any, wrap: Any) -> None:
    """Wrap long text and give each row the height it needs (openpyxl cannot measure text).

    Descriptions always wrap; other long text whose right-hand neighbour is empty runs on over
    it, as a subtotal's label does.
    """
    for row in sheet.iter_rows(min_row=first_row, max_col=len(COLUMN_WIDTHS)):
        lines = 1
        for index, cell in enumerate(row):
            cell.alignment = top
            if not isinstance(cell.value, str) or cell.data_type == "f":
                continue
            width = int(COLUMN_WIDTHS[index] * 0.95)
            neighbour = row[index + 1].value if index + 1 < len(row) else None
            if len(cell.value) > width and (neighbour is not None or index == 1):
                cell.alignment = wrap
                lines = max(lines, -(-len(cell.value) // width))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = _LINE_HEIGHT * lines


def budget_xlsx(budget: Budget, title: str) -> bytes:
    """A workbook laid out as grant budget forms ask: a row per line, subtotals, then the total.

    Subtotals and the total are ``SUM`` formulas over the amounts above them, so a line edited in
    the spreadsheet flows through; their values equal Coprod's totals to the penny.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    money_format = number_format(budget.currency)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    bold = Font(bold=True)
    _set_text(sheet.cell(1, 1), f"Involvement budget: {title}")
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    _set_text(sheet.cell(2, 1), f"Amounts in {budget.currency}. {HOW_PRICED}")
    _set_text(sheet.cell(3, 1), CHECK_RATES)
    header_row = 5
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(header_row, column, header)
        cell.font = bold
    row = header_row + 1
    subtotal_cells: list[str] = []
    for kind in KINDS:
        lines = budget.lines_of(kind)
        if not lines:
            continue
        first = row
        for line in lines:
            _set_text(sheet.cell(row, 1), KIND_LABELS[kind])
            _set_text(sheet.cell(row, 2), line.description)
            _set_text(sheet.cell(row, 3), line.bearer)
            if line.quantity is not None:
                sheet.cell(row, 4, line.quantity)
            if line.unit is not None:
                _set_text(sheet.cell(row, 5), line.unit.value)
            if line.pricing is not None:
                rate = sheet.cell(row, 6, line.pricing.rate_amount)
                rate.number_format = money_format
            amount = sheet.cell(row, 7, line.amount)
            amount.number_format = money_format
            row += 1
        _set_text(sheet.cell(row, 1), f"Subtotal: {KIND_LABELS[kind]}")
        sheet.cell(row, 1).font = bold
        subtotal = sheet.cell(row, 7, f"=SUM({AMOUNT_COLUMN}{first}:{AMOUNT_COLUMN}{row - 1})")
        subtotal.number_format = money_format
        subtotal.font = bold
        subtotal_cells.append(f"{AMOUNT_COLUMN}{row}")
        row += 2
    _set_text(sheet.cell(row, 1), "Total")
    sheet.cell(row, 1).font = Font(bold=True, size=12)
    total = sheet.cell(row, 7, f"=SUM({','.join(subtotal_cells)})" if subtotal_cells else 0)
    total.number_format = money_format
    total.font = Font(bold=True, size=12)
    row += 2
    if budget.by_bearer:
        _set_text(sheet.cell(row, 1), "Who pays or gives the time")
        sheet.cell(row, 1).font = bold
        row += 1
        for bearer, value in budget.by_bearer.items():
            _set_text(sheet.cell(row, 1), bearer)
            cell = sheet.cell(row, 7, value)
            cell.number_format = money_format
            row += 1
        row += 1
    if budget.cards:
        _set_text(sheet.cell(row, 1), "Rate cards used")
        sheet.cell(row, 1).font = bold
        row += 1
        for card in budget.cards:
            _set_text(sheet.cell(row, 1), f"{card.label} (version {card.version})")
            _set_text(sheet.cell(row, 2), f"Source: {card.citation}. {card.help}")
            row += 1
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    _fit_rows(
        sheet,
        header_row + 1,
        Alignment(vertical="top"),
        Alignment(wrap_text=True, vertical="top"),
    )
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    workbook.properties.title = _clean(f"Involvement budget: {title}")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# --- DOCX ----------------------------------------------------------------------------------------


def _cells(row: Any, values: Sequence[str], *, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for index, value in enumerate(values):
        cell = row.cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(_clean(value))
        run.bold = bold
        if index == len(values) - 1:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _sum_row(table: Any, label: str, amount: str) -> None:
    """A bold row: the label across the first three columns, the amount in the last."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    row = table.add_row()
    merged = row.cells[0].merge(row.cells[2])
    merged.text = ""
    merged.paragraphs[0].add_run(_clean(label)).bold = True
    cell = row.cells[3]
    cell.text = ""
    cell.paragraphs[0].add_run(amount).bold = True
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


DOCX_WIDTHS_CM = (6.4, 4.3, 2.8, 3.0)  # 16.5 cm: fits A4 and Letter with 2.54 cm margins


def _widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fix the column widths; a merged cell gets the widths of the columns it spans."""
    from docx.shared import Cm

    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        column_index = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[column_index : column_index + span]))
            column_index += span


def budget_docx(budget: Budget, title: str) -> bytes:
    """A budget section for a proposal: heading, where the rates come from, a table, the total."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    currency = budget.currency
    document = Document()
    document.core_properties.title = _clean(f"Involvement budget: {title}")
    document.add_heading(_clean(f"Involvement budget: {title}"), level=1)
    document.add_paragraph(
        f"This section costs the involvement of patients, the public and partners, in "
        f"{currency}. {HOW_PRICED}"
    )
    for card in budget.cards:
        document.add_paragraph(
            _clean(f"{card.label}, version {card.version}. Source: {card.citation}."),
            style="List Bullet",
        )
    reminder = document.add_paragraph()
    reminder.add_run("Check current rates. ").bold = True
    reminder.add_run(CHECK_RATES)

    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    _cells(header, ("Description", "Calculation", "Who pays", "Amount"), bold=True)
    # Repeat the header row on every page the table runs onto.
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for kind in KINDS:
        lines = budget.lines_of(kind)
        if not lines:
            continue
        heading = table.add_row()
        merged = heading.cells[0].merge(heading.cells[3])
        merged.text = ""
        merged.paragraphs[0].add_run(_clean(KIND_LABELS[kind])).bold = True
        for line in lines:
            _cells(
                table.add_row(),
                (
                    line.description,
                    calculation(line, currency, short=True),
                    line.bearer,
                    money_text(line.amount, currency),
                ),
            )
        subtotal = f"Subtotal: {KIND_LABELS[kind].lower()}"
        _sum_row(table, subtotal, money_text(budget.by_kind[kind], currency))
    _sum_row(table, "Total", money_text(budget.total, currency))
    _widths(table, DOCX_WIDTHS_CM)

    if budget.by_bearer:
        document.add_heading("Who pays or gives the time", level=2)
        bearers = document.add_table(rows=1, cols=2)
        bearers.style = "Table Grid"
        _cells(bearers.rows[0], ("Who", "Amount"), bold=True)
        for bearer, amount in budget.by_bearer.items():
            _cells(bearers.add_row(), (bearer, money_text(amount, currency)))
        _widths(bearers, (10.0, 3.0))
    total = document.add_paragraph()
    total.paragraph_format.space_before = Pt(12)
    total.add_run(f"Total cost of involvement: {money_text(budget.total, currency)}").bold = True
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
