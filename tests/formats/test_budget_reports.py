"""Budget reports: JSON with decimal strings, text, a grant-form XLSX whose sums add up, a DOCX."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.conftest import EXAMPLES

from coprod.core.catalogue import Catalogue
from coprod.core.costs import KINDS, Budget, budget
from coprod.core.plan import CostLine
from coprod.formats.budget_reports import (
    CHECK_RATES,
    budget_data,
    budget_docx,
    budget_text,
    budget_xlsx,
    money_text,
    number_format,
)
from coprod.formats.plan_file import load_plan


def example_budget(catalogue: Catalogue, name: str = "falls") -> tuple[Budget, str]:
    path = next(p for p in EXAMPLES if p.name.startswith(name))
    plan = load_plan(path, catalogue).plan
    return budget(plan, catalogue), plan.project.title


def line(description: str, amount: str, kind: str = "other", bearer: str = "grant") -> CostLine:
    return CostLine.model_validate(
        {"kind": kind, "description": description, "amount": amount, "bearer": bearer}
    )


# --- JSON ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_json_amounts_are_decimal_strings_that_add_up(example: Path, catalogue: Catalogue) -> None:
    result = budget(load_plan(example, catalogue).plan, catalogue)
    data = json.loads(json.dumps(budget_data(result)))  # serialisable without help
    assert data["currency"] == "GBP"
    for item in data["lines"]:
        assert {"kind", "description", "bearer", "amount"} <= set(item)
        assert isinstance(item["amount"], str)
        assert re.fullmatch(r"\d+\.\d\d", item["amount"])
    total = Decimal(data["total"])
    assert sum(Decimal(item["amount"]) for item in data["lines"]) == total
    assert sum(Decimal(v) for v in data["by_kind"].values()) == total
    assert sum(Decimal(v) for v in data["by_bearer"].values()) == total
    assert list(data["by_kind"]) == [k for k in KINDS if k in data["by_kind"]]
    assert data["rate_cards"] and all(card["source"] for card in data["rate_cards"])
    assert data["note"] == CHECK_RATES


def test_json_says_how_a_line_was_priced(catalogue: Catalogue) -> None:
    result, _ = example_budget(catalogue)
    first = budget_data(result)["lines"][0]
    assert first["quantity"] == "120"
    assert first["rate"] == "27.50"
    assert first["amount"] == "3300.00"
    assert first["priced_from"] == {
        "rate_card": "public_contributor_example",
        "card_label": catalogue.rate_cards["public_contributor_example"].label,
        "card_version": catalogue.rate_cards["public_contributor_example"].version,
        "rate": "hour",
        "rate_label": first["priced_from"]["rate_label"],
        "rate_amount": "27.50",
        "unit": "hour",
        "valid_from": "2025-12-16",
        "on": "2026-06-15",
        "note": first["priced_from"]["note"],
    }
    fixed = next(item for item in budget_data(result)["lines"] if item["priced_from"] is None)
    assert fixed["rate"] is None and fixed["calculation"] == "fixed amount"


def test_decimal_strings_never_use_exponents(catalogue: Catalogue) -> None:
    data = budget_data(budget([line("Big", "100000000.00"), line("Zero", "0")], catalogue))
    assert data["total"] == "100000000.00"
    assert [item["amount"] for item in data["lines"]] == ["100000000.00", "0.00"]


# --- Text ----------------------------------------------------------------------------------------


def test_text_lists_lines_by_kind_with_subtotals_and_total(catalogue: Catalogue) -> None:
    result, title = example_budget(catalogue)
    text = budget_text(result, title)
    assert " ".join(text.split()).startswith(f"Involvement budget: {title}")
    assert "Payments to public contributors" in text
    assert money_text(result.total, "GBP") in text
    assert "120 hours × £27.50 per hour" in text
    assert "check every rate" in " ".join(text.split())
    assert all(len(row) <= 88 for row in text.splitlines())
    # A description wraps around its amount, at the right margin of its first line.
    flat = " ".join(re.sub(r"£[\d,]+\.\d\d", " ", text).split())
    for budget_line in result.lines:
        assert " ".join(budget_line.description.split()) in flat  # wrapped, never cut


def test_money_text_formats() -> None:
    assert money_text(Decimal("1234.5"), "GBP") == "£1,234.50"
    assert money_text(Decimal("3"), "SEK") == "3.00 SEK"
    assert number_format("EUR") == '"€"#,##0.00'
    assert number_format("SEK") == '#,##0.00" SEK"'


# --- XLSX ----------------------------------------------------------------------------------------


def _evaluate(sheet: object, value: object) -> Decimal:
    """Evaluate the formulas the budget sheet uses: SUM over a range or a list of cells."""
    if not isinstance(value, str) or not value.startswith("="):
        return Decimal(str(value))
    match = re.fullmatch(r"=SUM\((.*)\)", value)
    assert match, f"unexpected formula {value}"
    total = Decimal(0)
    for part in match[1].split(","):
        if ":" in part:
            first, last = part.split(":")
            column, start, end = first[0], int(first[1:]), int(last[1:])
            assert last[0] == column
            cells = [f"{column}{row}" for row in range(start, end + 1)]
        else:
            cells = [part]
        for ref in cells:
            total += _evaluate(sheet, sheet[ref].value)  # type: ignore[index]
    return total


def test_xlsx_has_a_row_per_line_subtotals_and_a_total_that_add_up(catalogue: Catalogue) -> None:
    result, title = example_budget(catalogue)
    sheet = load_workbook(io.BytesIO(budget_xlsx(result, title))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("Kind", "Description", "Who pays", "Quantity", "Unit", "Rate", "Amount"))
    assert title in str(rows[0][0])
    line_rows = [r for r in rows[header + 1 :] if r[1] and r[6] is not None and r[0] != "Total"]
    line_rows = line_rows[: len(result.lines)]
    assert [r[1] for r in line_rows] == [
        budget_line.description
        for kind in KINDS
        for budget_line in result.lines
        if budget_line.kind == kind
    ]
    priced = next(r for r in line_rows if r[1].startswith("Older people"))
    assert priced[3:] == (120, "hour", 27.5, 3300)
    # Subtotals and total are formulas; evaluated, they match Coprod's figures to the penny.
    subtotals = {}
    for row in sheet.iter_rows(min_row=header + 2):
        label, amount = row[0].value, row[6]
        if isinstance(label, str) and label.startswith("Subtotal: "):
            assert str(amount.value).startswith("=SUM(")
            subtotals[label.removeprefix("Subtotal: ")] = _evaluate(sheet, amount.value)
        if label == "Total":
            assert _evaluate(sheet, amount.value) == result.total
            assert "£" in amount.number_format
    assert subtotals == {
        label: result.by_kind[kind]
        for kind, label in zip(KINDS, [_label(k) for k in KINDS], strict=True)
        if kind in result.by_kind
    }


def _label(kind: str) -> str:
    from coprod.core.costs import KIND_LABELS

    return KIND_LABELS[kind]


def test_xlsx_amounts_carry_a_currency_format(catalogue: Catalogue) -> None:
    result, title = example_budget(catalogue)
    sheet = load_workbook(io.BytesIO(budget_xlsx(result, title))).active
    formats = {cell.number_format for cell in sheet["G"] if isinstance(cell.value, int | float)}
    assert formats == {'"£"#,##0.00'}


def test_text_that_looks_like_a_formula_is_written_as_text(catalogue: Catalogue) -> None:
    nasty = [
        line('=HYPERLINK("http://evil.example","click")', "1.00"),
        line("+1+2", "2.00", bearer="=1+1"),
        line("-3", "3.00", bearer="@SUM(A1)"),
        line("@risk", "4.00"),
    ]
    data = budget_xlsx(budget(nasty, catalogue), "=cmd|' /C calc'!A0")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas and all(f.startswith("SUM(") for f in formulas)
    sheet = load_workbook(io.BytesIO(data)).active
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    for text in ('=HYPERLINK("http://evil.example","click")', "+1+2", "=1+1", "@SUM(A1)"):
        cell = next(c for c in texts if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix


def test_xlsx_of_an_empty_budget(catalogue: Catalogue) -> None:
    sheet = load_workbook(io.BytesIO(budget_xlsx(budget([], catalogue), "Nothing yet"))).active
    total = next(row for row in sheet.iter_rows() if row[0].value == "Total")
    assert total[6].value == 0


def test_control_characters_do_not_break_the_files(catalogue: Catalogue) -> None:
    result = budget([line("Bell\x07 and form feed\x0c", "1.00")], catalogue)
    sheet = load_workbook(io.BytesIO(budget_xlsx(result, "T\x00itle"))).active
    assert any(row[1].value == "Bell and form feed" for row in sheet.iter_rows())
    document = Document(io.BytesIO(budget_docx(result, "T\x00itle")))
    assert document.paragraphs[0].text == "Involvement budget: Title"


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_is_a_budget_section_for_a_proposal(catalogue: Catalogue) -> None:
    result, title = example_budget(catalogue)
    document = Document(io.BytesIO(budget_docx(result, title)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Involvement budget: {title}"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "rate in force on the date of the activity" in text
    assert "Check current rates." in text
    assert "NIHR payment guidance 2024" in text
    assert f"Total cost of involvement: {money_text(result.total, 'GBP')}" in text
    table = document.tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Description", "Calculation", "Who pays", "Amount"]
    assert cells[-1][0] == "Total" and cells[-1][-1] == money_text(result.total, "GBP")
    descriptions = {row[0] for row in cells}
    assert all(budget_line.description in descriptions for budget_line in result.lines)
    subtotal_rows = [row for row in cells if row[0].startswith("Subtotal: ")]
    assert len(subtotal_rows) == len(result.by_kind)
    bearers = document.tables[1]
    assert len(bearers.rows) == len(result.by_bearer) + 1


# --- Every format agrees (hypothesis) ------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(KINDS), amounts, st.sampled_from(["grant", "trust", "uni"])),
        max_size=12,
    )
)
def test_json_and_xlsx_totals_agree_with_the_budget(
    items: list[tuple[str, Decimal, str]], catalogue: Catalogue
) -> None:
    lines = [line(f"line {n}", str(a), kind, bearer) for n, (kind, a, bearer) in enumerate(items)]
    result = budget(lines, catalogue)
    data = budget_data(result)
    assert Decimal(data["total"]) == result.total
    assert sum(Decimal(v) for v in data["by_kind"].values()) == result.total
    sheet = load_workbook(io.BytesIO(budget_xlsx(result, "t"))).active
    total = next(row for row in sheet.iter_rows() if row[0].value == "Total")
    assert _evaluate(sheet, total[6].value) == result.total


def test_a_budget_from_a_later_date_uses_the_later_rate_in_every_format(
    catalogue: Catalogue,
) -> None:
    def priced(date: dt.date) -> Budget:
        return budget(
            [
                CostLine(
                    kind="contributor_payment",
                    description="Panel",
                    quantity=Decimal(4),
                    rate_card="public_contributor_example",
                    rate="hour",
                    date=date,
                )
            ],
            catalogue,
        )

    before, after = priced(dt.date(2025, 12, 15)), priced(dt.date(2025, 12, 16))
    assert budget_data(before)["total"] == "100.00"
    assert budget_data(after)["total"] == "110.00"
    assert "£25.00 per hour" in budget_text(before)
    assert "£27.50 per hour" in budget_text(after)
