"""``coprod costs`` and ``coprod rates``."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from coprod.cli.app import app
from tests.conftest import EXAMPLES

runner = CliRunner()

PLAN = """\
coprod: 1
project:
  title: A small costed plan
criteria:
  contestation: more
costs:
  - kind: contributor_payment
    description: "Panel: 4 people x 3 hours"
    quantity: 12
    unit: hour
    rate_card: public_contributor_example
    rate: hour
    date: 2026-03-01
    bearer: grant
  - kind: travel_venue
    description: "Room hire"
    amount: 95.50
    bearer: university
"""


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_costed_in_text_and_json(example: Path) -> None:
    text = runner.invoke(app, ["costs", str(example)])
    assert text.exit_code == 0, text.output
    assert "Total" in text.output and "check every rate" in " ".join(text.output.split())
    result = runner.invoke(app, ["costs", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"lines", "total", "by_kind", "by_bearer", "currency"} <= set(data)
    total = Decimal(data["total"])
    assert all(isinstance(line["amount"], str) for line in data["lines"])
    assert sum(Decimal(line["amount"]) for line in data["lines"]) == total
    assert sum(Decimal(amount) for amount in data["by_kind"].values()) == total
    assert sum(Decimal(amount) for amount in data["by_bearer"].values()) == total


def test_json_of_a_small_plan(plan_file: Path) -> None:
    result = runner.invoke(app, ["costs", str(plan_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "A small costed plan"
    assert [(line["kind"], line["bearer"], line["amount"]) for line in data["lines"]] == [
        ("contributor_payment", "grant", "330.00"),
        ("travel_venue", "university", "95.50"),
    ]
    assert data["total"] == "425.50"
    assert data["by_kind"] == {"contributor_payment": "330.00", "travel_venue": "95.50"}
    assert data["by_bearer"] == {"grant": "330.00", "university": "95.50"}


def test_xlsx_without_output_goes_next_to_where_you_are(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = runner.invoke(app, ["costs", str(plan_file), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    written = here / "small.budget.xlsx"
    assert f"Budget written to {written}" in result.output
    sheet = load_workbook(written).active
    assert sheet["A1"].value == "Involvement budget: A small costed plan"


def test_docx_with_output(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "section.docx"
    result = runner.invoke(app, ["costs", str(plan_file), "--format", "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    document = Document(io.BytesIO(out.read_bytes()))
    assert "Total cost of involvement: £425.50" in [p.text for p in document.paragraphs]


def test_json_with_output_writes_the_file(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "budget.json"
    result = runner.invoke(app, ["costs", str(plan_file), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == "425.50"


def test_the_plan_file_is_never_overwritten(plan_file: Path) -> None:
    result = runner.invoke(app, ["costs", str(plan_file), "--format", "xlsx", "-o", str(plan_file)])
    assert result.exit_code == 2
    assert plan_file.read_text(encoding="utf-8") == PLAN


def test_plan_problems_are_listed_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PLAN.replace("amount: 95.50", "amount: -95.50"), encoding="utf-8")
    result = runner.invoke(app, ["costs", str(path)])
    assert result.exit_code == 1
    assert f"{path} cannot be costed until these are fixed:" in result.output
    assert f"{path}:17:13: costs[1].amount:" in result.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "rate: hour",
            "rate: minute",
            "12:11: costs[0].rate: rate card 'public_contributor_example' has no rate 'minute' "
            "(its rates: hour, half_day, day)",
        ),
        (
            "rate_card: public",
            "rate_card: nihr_public",
            "11:16: costs[0].rate_card: 'nihr_public_contributor_example' is not a known rate "
            "card (known: public_contributor_example, staff_cost_example)",
        ),
        (
            "date: 2026-03-01",
            "date: 2020-03-01",
            "13:11: costs[0].date: rate card 'public_contributor_example' has no rate 'hour' in "
            "force on 2020-03-01: the earliest applies from 2024-08-01",
        ),
        (
            "bearer: university",
            "bearer: university\n    currency: EUR",
            "19:15: costs[1].currency: 'Room hire' is in EUR, but the rest of the budget is in "
            "GBP (costs[0])",
        ),
    ],
)
def test_budget_problems_point_at_the_line_and_column(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PLAN.replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["costs", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert f"{path} cannot be costed until these are fixed:" in result.output
    assert f"{path}:{expected}" in " ".join(result.output.split())


def test_an_organisation_card_replaces_the_shipped_one(plan_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "rates.yaml").write_text(
        """\
rate_cards:
  - id: public_contributor_example
    label: "Our contributor rates"
    help: "Our own rates; check them each April."
    version: "2026-04"
    currency: GBP
    source: {document: coprod, locator: "Our finance office"}
    rates:
      - {id: hour, label: "Per hour", unit: hour, amount: 30.00, valid_from: 2026-01-01}
""",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["costs", str(plan_file), "--format", "json", "--catalogue", str(folder)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lines"][0]["amount"] == "360.00"
    assert data["lines"][0]["priced_from"]["card_version"] == "2026-04"


def test_rates_lists_cards_and_the_rate_in_force_on_a_date() -> None:
    result = runner.invoke(app, ["rates", "--on", "2025-12-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    cards = {card["id"]: card for card in json.loads(result.output)}
    hour = next(r for r in cards["public_contributor_example"]["rates"] if r["id"] == "hour")
    assert hour["amount"] == "25.00"
    later = runner.invoke(app, ["rates", "--on", "2025-12-16"])
    assert later.exit_code == 0
    assert "27.50 GBP per hour" in later.output
    everything = runner.invoke(app, ["rates"])
    assert "25.00 GBP per hour" in everything.output and "27.50" in everything.output
    bad = runner.invoke(app, ["rates", "--on", "16/12/2025"])
    assert bad.exit_code == 2
