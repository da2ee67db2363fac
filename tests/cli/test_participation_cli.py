"""``coprod participation`` on real AMI meeting material, checked against sums taken straight from
the source files (tests/data/meetings/README.md says how the fixtures were made).

Pairing speakers: the RTTM speaker ids (``MEO015``) and the turn files' roles ("Project Manager")
are not linked by the sources, so no test pairs them. The WebVTT fixtures carry the RTTM ids as
voice names and are checked against the RTTM's times; the plain ``Role: text`` fixture carries the
roles and is checked against the turn file's words.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coprod.cli.app import app

runner = CliRunner()
MEETINGS = Path(__file__).parent.parent / "data" / "meetings"
RTTM = MEETINGS / "ES2004a.first5min.rttm"
TURNS = MEETINGS / "ES2004a.first60.turns.json"
SHARED = Path(__file__).parents[3] / "shared" / "data" / "meetings" / "ami"


def _run(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["participation", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _rttm_sums(path: Path) -> tuple[dict[str, Decimal], dict[str, int]]:
    """Seconds per speaker id (the source has no overlapping segments of one speaker) and turns,
    a turn being a run of segments by one speaker in time order."""
    seconds: dict[str, Decimal] = defaultdict(Decimal)
    turns: dict[str, int] = defaultdict(int)
    previous = None
    for line in path.read_text().splitlines():
        fields = line.split()
        seconds[fields[7]] += Decimal(fields[4])
        if fields[7] != previous:
            turns[fields[7]] += 1
        previous = fields[7]
    return seconds, turns


def _words(text: str) -> int:
    """Words as the analysis counts them: tokens with a letter or digit, AMI's {marks} excepted."""
    return sum(
        1
        for token in text.split()
        if any(ch.isalnum() for ch in token) and not (token[0] == "{" and token[-1] == "}")
    )


def _turn_sums(turns: list[dict[str, str]]) -> tuple[dict[str, int], dict[str, int]]:
    words: dict[str, int] = defaultdict(int)
    runs: dict[str, int] = defaultdict(int)
    previous = None
    for turn in turns:
        words[turn["speaker"]] += _words(turn["content"])
        if turn["speaker"] != previous:
            runs[turn["speaker"]] += 1
        previous = turn["speaker"]
    return words, runs


@pytest.mark.parametrize(
    "fixture",
    [
        "ES2004a.first5min.vtt",
        "ES2004a.first5min.zoom.vtt",
        "ES2004a.first5min.teams.vtt",
        "ES2004a.first5min.teams-cues.docx",
    ],
)
def test_times_match_the_rttm(fixture: str) -> None:
    seconds, turns = _rttm_sums(RTTM)
    meeting = _run(str(MEETINGS / fixture))["meetings"][0]
    total = sum(seconds.values())
    got = {s["name"]: s for s in meeting["speakers"]}
    assert set(got) == set(seconds)
    for speaker, expected in seconds.items():
        assert got[speaker]["seconds"] == float(expected)
        assert got[speaker]["turns"] == turns[speaker]
        assert got[speaker]["share_seconds"] == round(float(expected / total), 4)
    assert meeting["gini_seconds"] is not None and 0 < meeting["gini_seconds"] < 1


def test_words_match_the_turn_file() -> None:
    turns = json.loads(TURNS.read_text())["turns"]
    words, runs = _turn_sums(turns)
    total = sum(words.values())
    for fixture in ("ES2004a.first60.txt", "ES2004a.first60.turns.json"):
        meeting = _run(str(MEETINGS / fixture))["meetings"][0]
        got = {s["name"]: s for s in meeting["speakers"]}
        assert {n: s["words"] for n, s in got.items()} == words
        assert {n: s["turns"] for n, s in got.items()} == runs
        assert all(s["seconds"] is None and s["share_seconds"] is None for s in got.values())
        top = max(words.values())
        assert meeting["top_share"] == round(top / total, 4)
        assert meeting["gini_seconds"] is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="the AMI files are not on this machine")
def test_whole_meetings_from_the_shared_files(tmp_path: Path) -> None:
    files = []
    expected = []
    for meeting in ("ES2004a", "ES2004b", "ES2004c", "ES2004d"):
        turns = json.loads((SHARED / f"{meeting}.turns.json").read_text())["turns"]
        path = tmp_path / f"{meeting}.txt"
        path.write_text("".join(f"{t['speaker']}: {t['content']}\n" for t in turns))
        files.append(str(path))
        expected.append(_turn_sums(turns)[0])
    data = _run(*files)
    for meeting, words in zip(data["meetings"], expected, strict=True):
        assert {s["name"]: s["words"] for s in meeting["speakers"]} == words
    assert data["across"]["meetings"] == 4


def test_roster_groups_and_text_output(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,group,aliases\n"
        "Pat Manager,managers,Project Manager\n"
        "Uma Interface,patients_public,user interface\n"
        "Mark Eting,patients_public,Marketing\n"
        "Ida Designer,practitioners,Industrial Designer\n"
        "Quiet Person,funders,\n"
    )
    turns = json.loads(TURNS.read_text())["turns"]
    words, _ = _turn_sums(turns)
    meeting = _run(str(MEETINGS / "ES2004a.first60.txt"), "--roster", str(roster))["meetings"][0]
    groups = {g["group"]: g for g in meeting["groups"]}
    assert groups["patients_public"]["words"] == words["User Interface"] + words["Marketing"]
    assert groups["funders"]["words"] == 0
    assert meeting["silent"] == ["Quiet Person"]
    assert meeting["unmatched"] == []
    result = runner.invoke(app, ["participation", str(MEETINGS / "ES2004a.first60.txt")])
    assert result.exit_code == 0
    assert "Project Manager" in result.stdout and "█" in result.stdout
    assert "Gini (words)" in result.stdout


def test_a_malformed_file_is_reported_and_the_rest_analysed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.vtt"
    bad.write_text("WEBVTT\n\n00:00:01 --> nonsense\n<v A>x\n")
    result = runner.invoke(
        app, ["participation", str(bad), str(MEETINGS / "ES2004a.first60.txt"), "--format", "json"]
    )
    assert result.exit_code == 1
    assert "bad.vtt:3:1" in result.stderr
    assert len(json.loads(result.stdout)["meetings"]) == 1
