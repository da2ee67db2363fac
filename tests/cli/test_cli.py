"""The command line, driven through Typer's runner and, once, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coprod.cli.app import app
from coprod.core.ids import Criterion, Level, Stage
from tests.conftest import EXAMPLES

runner = CliRunner()


def flat(output: str) -> str:
    """Terminal output without line wrapping or box drawing, to search for a sentence."""
    return " ".join(output.replace("│", " ").split())


PLAN = """\
# A small plan used by the command-line tests.
coprod: 1
project:
  title: Evaluating a community falls-prevention programme
aims:
  - motivation: instrumental
    outcome: Commissioners use the findings to decide how to roll the programme out
    for_whom: [managers, policy_makers]
criteria:
  contestation: lean-more
  conflicts_of_interest: neutral
  direct_use: more
  funder_values: unknown
  definition: lean-more
  purpose: more
  cooperation: more
  relationships: lean-less
  resources: lean-less   # one part-time researcher
stages:
  questions: {level: collaborate, groups: [managers, patients_public]}
  analysis: {level: consult, groups: [patients_public]}
"""

BROKEN = PLAN.replace("conflicts_of_interest: neutral", "conflicts_of_interest: maybe").replace(
    "motivation: instrumental", "motivation: instrumentl"
)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_validate_accepts_a_valid_plan(plan_file: Path) -> None:
    result = runner.invoke(app, ["validate", str(plan_file)])
    assert result.exit_code == 0, result.output
    assert f"{plan_file}: valid" in result.output


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid_and_assesses(example: Path) -> None:
    assert runner.invoke(app, ["validate", str(example)]).exit_code == 0
    result = runner.invoke(app, ["assess", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["emphasis"] != "insufficient"


def test_validate_lists_every_problem_with_line_and_column(
    plan_file: Path, broken_file: Path
) -> None:
    result = runner.invoke(app, ["validate", str(plan_file), str(broken_file)])
    assert result.exit_code == 1
    assert f"{plan_file}: valid" in result.output
    assert f"{broken_file}: 2 problems" in result.output
    assert (
        f"{broken_file}:6:17: aims[0].motivation: 'instrumentl' is not one of substantive, "
        "instrumental, normative, political"
    ) in result.output
    assert f"{broken_file}:11:26: criteria.conflicts_of_interest: 'maybe' is not one of" in (
        result.output
    )


def test_validate_json_output(broken_file: Path) -> None:
    result = runner.invoke(app, ["validate", "--format", "json", str(broken_file)])
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    assert report["valid"] is False
    assert {(p["line"], p["column"]) for p in report["problems"]} == {(6, 17), (11, 26)}


def test_validate_a_missing_file_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output


def test_schema_is_json_describing_the_plan() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["required"]) == {"coprod", "project", "criteria"}
    assert "stakeholders" in schema["properties"]


def test_assess_json_has_the_documented_keys(plan_file: Path) -> None:
    result = runner.invoke(app, ["assess", str(plan_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["emphasis"] in {"less", "lean-less", "balanced", "lean-more", "more"}
    assert [c["id"] for c in data["criteria"]] == [c.value for c in Criterion]
    for criterion in data["criteria"]:
        assert {"id", "answer", "source"} <= set(criterion)
        assert criterion["source"]["citation"].startswith("Oliver")
    assert data["unknown"] == ["funder_values"]
    assert data["warnings"] and all({"id", "message"} <= set(w) for w in data["warnings"])
    assert [s["stage"] for s in data["stages"]] == [s.value for s in Stage]
    for stage in data["stages"]:
        assert {"stage", "recommended_level", "reasons", "risks"} <= set(stage)
        assert stage["recommended_level"] in {level.value for level in Level}
    questions = next(s for s in data["stages"] if s["stage"] == "questions")
    assert questions["chosen_level"] == "collaborate" and questions["risks"]
    assert [a["motivation"] for a in data["alternatives"]] == ["instrumental"]


def test_assess_text_and_markdown_cite_the_paper(plan_file: Path) -> None:
    text = runner.invoke(app, ["assess", str(plan_file)])
    assert text.exit_code == 0
    assert "Emphasis:" in text.output and "Oliver, Kothari & Mays 2019, Table 2" in text.output
    markdown = runner.invoke(app, ["assess", str(plan_file), "--format", "markdown"])
    assert markdown.exit_code == 0
    assert "| Criterion | Answer | Pulls | Why |" in markdown.output
    assert "### Sources" in markdown.output and "doi.org/10.1186/s12961-019-0432-3" in (
        markdown.output
    )


def test_assess_refuses_an_invalid_plan_without_a_traceback(broken_file: Path) -> None:
    result = runner.invoke(app, ["assess", str(broken_file)])
    assert result.exit_code == 1
    assert "cannot be assessed" in result.output
    assert "Traceback" not in result.output


def test_new_from_options_writes_a_valid_plan(tmp_path: Path) -> None:
    output = tmp_path / "new.yaml"
    args = ["new", "--no-input", "-o", str(output), "--title", "Stroke rehab priorities"]
    args += ["--aim", "normative=Stroke survivors shape the research agenda"]
    args += ["--criterion", "resources=lean-less", "--criterion", "contestation=more"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(output)]).exit_code == 0
    data = json.loads(runner.invoke(app, ["assess", str(output), "--format", "json"]).output)
    answers = {c["id"]: c["answer"] for c in data["criteria"]}
    assert answers["resources"] == "lean-less" and answers["contestation"] == "more"
    assert data["emphasis"] == "insufficient"  # seven criteria left unknown
    assert "coprod validate new.yaml" in output.read_text()


def test_new_rejects_a_bad_option_with_a_clear_message(tmp_path: Path) -> None:
    output = tmp_path / "new.yaml"
    args = ["new", "--no-input", "-o", str(output), "--title", "T", "--criterion", "resources=lots"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "resources: 'lots' is not one of less, lean-less" in flat(result.output)
    assert not output.exists()


def test_new_will_not_overwrite_without_force(plan_file: Path) -> None:
    before = plan_file.read_text()
    result = runner.invoke(app, ["new", "--no-input", "-o", str(plan_file), "--title", "T"])
    assert result.exit_code == 1
    assert plan_file.read_text() == before


def test_new_asks_questions_in_the_terminal(tmp_path: Path) -> None:
    output = tmp_path / "asked.yaml"
    answers = ["Diabetes foot care", "Co-design a foot-care pathway"]
    # Four motivations: say yes to substantive and political, no to the others.
    answers += ["y", "Better questions from patients", "patients_public"]
    answers += ["n", "n"]
    answers += ["y", "Podiatry managers back the new pathway", "nurses, managers", "managers"]
    answers += [
        "lean-more",
        "neutral",
        "maybe",
        "more",
        "",
        "more",
        "more",
        "lean-more",
        "less",
        "",
    ]
    result = runner.invoke(app, ["new", "-o", str(output)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Not a group: nurses" in result.output
    assert "Please answer one of" in result.output
    data = json.loads(runner.invoke(app, ["assess", str(output), "--format", "json"]).output)
    assert [a["motivation"] for a in data["alternatives"]] == ["substantive", "political"]
    answered = {c["id"]: c["answer"] for c in data["criteria"]}
    assert answered["direct_use"] == "more"  # given after the rejected 'maybe'
    assert answered["funder_values"] == "unknown"  # Enter means unknown
    assert answered["definition"] == "more"
    assert answered["resources"] == "unknown"


def test_methods_filters_and_reports(tmp_path: Path) -> None:
    result = runner.invoke(app, ["methods", "--stage", "analysis", "--max-cost", "low"])
    assert result.exit_code == 0
    assert "method" in result.output
    as_json = runner.invoke(
        app, ["methods", "--stage", "analysis", "--max-cost", "low", "--format", "json"]
    )
    methods = json.loads(as_json.output)
    assert methods and all("analysis" in m["stages"] for m in methods)
    assert all(m["relative_cost"] == "low" for m in methods)
    none = runner.invoke(app, ["methods", "--max-hours", "0"])
    assert "No method fits" in none.output


def test_methods_reads_an_organisation_catalogue(tmp_path: Path) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "m.yaml").write_text("methods:\n  - id: survey\n    label: Trust panel survey\n")
    result = runner.invoke(app, ["methods", "--catalogue", str(folder), "--max-cost", "low"])
    assert "Trust panel survey" in result.output
    (folder / "m.yaml").write_text("methods:\n  - id: survey\n    relative_cost: free\n")
    bad = runner.invoke(app, ["methods", "--catalogue", str(folder)])
    assert bad.exit_code == 2
    assert "methods[survey].relative_cost" in bad.output


def test_catalogue_lists_entries_with_sources() -> None:
    result = runner.invoke(app, ["catalogue", "challenges"])
    assert result.exit_code == 0
    assert "'Usual suspects' can take over" in flat(result.output)
    assert "Oliver, Kothari & Mays 2019, Table 1" in flat(result.output)


def test_fmt_keeps_comments_and_check_reports_changes(plan_file: Path) -> None:
    messy = plan_file.read_text().replace("project:\n  title:", "project:\n    title:")
    plan_file.write_text(messy)
    check = runner.invoke(app, ["fmt", "--check", str(plan_file)])
    assert check.exit_code == 1 and "would be reformatted" in check.output
    assert plan_file.read_text() == messy
    assert runner.invoke(app, ["fmt", str(plan_file)]).exit_code == 0
    tidy = plan_file.read_text()
    assert "# one part-time researcher" in tidy and "\n  title:" in tidy
    assert runner.invoke(app, ["fmt", "--check", str(plan_file)]).exit_code == 0


def test_python_dash_m_runs_the_same_command(plan_file: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "coprod", "validate", str(plan_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "valid" in completed.stdout
