"""``coprod risks``, and the catalogue's project-wide costs and rate cards, through the runner."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coprod.cli.app import app
from coprod.core.catalogue import Catalogue
from coprod.core.ids import Level, Stage
from coprod.formats.plan_file import load_plan
from tests.conftest import EXAMPLES

runner = CliRunner()
FALLS = next(p for p in EXAMPLES if p.name == "falls-prevention-evaluation.yaml")

PLAN = """\
coprod: 1
project:
  title: A small test plan
criteria:
  contestation: neutral
stages:
  team: {level: involve}
  questions: {level: consult}
risks:
  - stage: team
    challenge: Our two patient groups want different things
    cost_types: [practical]
    bears: [researchers]
    likelihood: 3
    impact: 2
    status: open
    review: 2026-01-10
    catalogue_id: team_disagreement
  - stage: questions
    challenge: Stakeholders and researchers may have different priorities and values
    status: dismissed
    reason: The questions are fixed by the funder's call
    catalogue_id: questions_priorities
"""


def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["risks", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_lists_its_register(example: Path, catalogue: Catalogue) -> None:
    data = _json(str(example), "--today", "2026-12-01")
    plan = load_plan(example, catalogue).plan
    assert sum(1 for r in data["risks"] if r["origin"] == "plan") == len(plan.risks)
    for risk in data["risks"]:
        for key in ("stage", "challenge", "cost_types", "bears", "likelihood", "impact"):
            assert key in risk
        assert "score" in risk and "source" in risk
    # Seeding follows the plan's stages and levels, compared with the catalogue itself.
    taken = {(r.catalogue_id, r.stage.value if r.stage else None) for r in plan.risks}
    expected = {
        (challenge.id, stage.value)
        for stage, stage_plan in plan.stages.items()
        for challenge in catalogue.challenges_at(stage, stage_plan.level)
        if not (
            challenge.needs_identifying_data and plan.ethics and not plan.ethics.identifiable_data
        )
    } - taken
    proposed = {
        (r["catalogue_id"], r["stage"])
        for r in data["risks"]
        if r["origin"] == "seeded" and r["stage"] is not None
    }
    assert proposed == expected
    text = runner.invoke(app, ["risks", str(example), "--today", "2026-12-01"])
    assert text.exit_code == 0, text.output
    assert "Heat map" in text.stdout and "Proposed by Coprod" in text.stdout


def test_the_falls_example_has_rated_risks_in_its_heat_map() -> None:
    data = _json(str(FALLS), "--today", "2026-12-15")
    rated_live = [
        r
        for r in data["risks"]
        if r["score"] is not None and r["status"] not in ("closed", "dismissed")
    ]
    assert len(rated_live) == 4
    assert data["heat_map"]["total"] == 4
    assert data["heat_map"]["counts"][3][3] == 1  # likely (4) and major (4)
    assert data["risks"][0]["score"] == 16
    scores = [r["score"] for r in data["risks"] if r["score"] is not None]
    assert scores == sorted(scores, reverse=True)
    assert [r["review"] for r in data["reviews_due"]] == ["2026-12-15"]
    assert _json(str(FALLS), "--today", "2026-12-14")["reviews_due"] == []


def test_the_teams_own_entries_are_kept_and_dismissals_stay(plan_file: Path) -> None:
    data = _json(str(plan_file), "--today", "2026-02-01")
    by_id: dict[tuple[str | None, str | None], list[dict]] = {}  # type: ignore[type-arg]
    for risk in data["risks"]:
        by_id.setdefault((risk["catalogue_id"], risk["stage"]), []).append(risk)
    [edited] = by_id[("team_disagreement", "team")]
    assert edited["challenge"] == "Our two patient groups want different things"
    assert edited["cost_types"] == ["practical"] and edited["score"] == 6
    [dismissed] = by_id[("questions_priorities", "questions")]
    assert dismissed["status"] == "dismissed"
    assert dismissed["reason"] == "The questions are fixed by the funder's call"
    assert data["risks"][0]["catalogue_id"] == "team_disagreement"  # the only rated one first
    assert [r["review"] for r in data["reviews_due"]] == ["2026-01-10"]
    # involvement at 'involve' proposes the project-wide costs up to that level, and no deeper
    project_wide = {r["catalogue_id"] for r in data["risks"] if r["stage"] is None}
    assert "personal_stress_burnout" in project_wide
    assert "profession_lobby_group" not in project_wide


def test_xlsx_needs_no_output_and_says_where_it_wrote(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["risks", str(plan_file), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    written = elsewhere / "plan.risks.xlsx"
    assert written.exists()
    assert str(written) in flat(result.output)
    assert result.stdout == ""  # nothing binary on the terminal
    sheet = load_workbook(written)["Risk register"]
    count = len(_json(str(plan_file))["risks"])
    assert sheet.max_row == 1 + count


def test_xlsx_and_heat_map_to_named_files(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    workbook = tmp_path / "register.xlsx"
    image = tmp_path / "heat.png"
    result = runner.invoke(
        app,
        [
            "risks",
            str(FALLS),
            "--format",
            "xlsx",
            "--output",
            str(workbook),
            "--heat-map",
            str(image),
        ],
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(io.BytesIO(workbook.read_bytes())).sheetnames == [
        "Risk register",
        "Heat map",
    ]
    data = image.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (800, 650)


def test_json_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "register.json"
    result = runner.invoke(app, ["risks", str(FALLS), "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["risks"]


def test_an_invalid_plan_is_refused_with_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(PLAN.replace("level: involve", "level: deep"), encoding="utf-8")
    result = runner.invoke(app, ["risks", str(broken)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{broken}:7:" in result.output
    assert "'deep' is not one of" in result.output


def test_an_unwritable_output_is_a_clear_error(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "register.xlsx"
    result = runner.invoke(app, ["risks", str(plan_file), "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 1
    assert "Cannot write the risk register" in result.output


def test_a_deeper_level_only_adds_proposals(tmp_path: Path) -> None:
    shallow = tmp_path / "shallow.yaml"
    deep = tmp_path / "deep.yaml"
    base = "coprod: 1\nproject: {title: T}\ncriteria: {}\nstages:\n  analysis: {level: %s}\n"
    shallow.write_text(base % Level.CONSULT.value, encoding="utf-8")
    deep.write_text(base % Level.LEAD.value, encoding="utf-8")

    def ids(path: Path) -> set[tuple[str, str | None]]:
        return {(r["catalogue_id"], r["stage"]) for r in _json(str(path))["risks"]}

    assert ids(shallow) < ids(deep)
    assert {stage for _, stage in ids(deep)} == {Stage.ANALYSIS.value, None}


# --- The catalogue sections this work adds -------------------------------------------------------


def test_catalogue_lists_the_project_wide_costs() -> None:
    result = runner.invoke(app, ["catalogue", "cost_risks"])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "personal_stress_burnout — Stress and burnout" in text
    assert "Cost type: personal; borne by: researchers" in text
    assert "[Oliver, Kothari & Mays 2019, Challenges and costs (second)]" in text
    data = json.loads(runner.invoke(app, ["catalogue", "cost_risks", "--format", "json"]).output)
    assert {e["cost_type"] for e in data["cost_risks"]} == {
        "practical", "personal", "professional", "research", "stakeholder", "profession",
    }  # fmt: skip


def test_catalogue_lists_each_rate_of_a_rate_card(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "cards.yaml").write_text(
        """
documents:
  - id: org_finance
    short: Trust finance office 2026
    citation: Our trust's finance office, rates for 2026.
rate_cards:
  - id: trust_public_rates
    label: Trust rates for public contributors
    help: What our trust pays public contributors.
    version: "2026-04"
    currency: GBP
    source: {document: org_finance, locator: Rates table}
    rates:
      - {id: hour, label: Per hour, unit: hour, amount: "21.00", valid_from: 2025-04-01}
      - id: hour
        label: Per hour
        unit: hour
        amount: "23.10"
        valid_from: 2026-04-01
        note: Raised by 10%
""",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["catalogue", "rate_cards", "--catalogue", str(folder)])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "trust_public_rates — Trust rates for public contributors" in text
    assert "Per hour (hour): 21.00 GBP per hour, from 2025-04-01" in text
    assert "Per hour (hour): 23.10 GBP per hour, from 2026-04-01 — Raised by 10%" in text
