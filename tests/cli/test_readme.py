"""The README's tour must work exactly as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

from typer.testing import CliRunner

from coprod.cli.app import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_breaking_a_plan_gives_the_problems_the_readme_shows(tmp_path: Path) -> None:
    example = (ROOT / "examples" / "falls-prevention-evaluation.yaml").read_text(encoding="utf-8")
    broken = re.sub(r"(?m)^  resources: neutral", "  resources: maybe", example)
    broken = re.sub(r"(?m)^  analysis:", "  analyses:", broken)
    (tmp_path / "mine.yaml").write_text(broken, encoding="utf-8")
    shown = README.split("mine.yaml: 2 problems", 1)[1].split("```", 1)[0]
    expected = [line.strip() for line in shown.strip().splitlines()]
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(app, ["validate", "mine.yaml"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    assert [line.strip() for line in result.output.splitlines()[1:]] == expected


def test_every_example_the_readme_names_exists() -> None:
    for name in re.findall(r"examples/[\w-]+\.yaml", README):
        assert (ROOT / name).is_file(), name
