"""``coprod participation`` on Otter and Teams DOCX files made from AMI turns, the speaker mapping
from one meeting to the next, the progress bar, and what is never written."""

from __future__ import annotations

import json
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from coprod.cli.app import app
from tests.cli.test_participation_cli import MEETINGS, TURNS, _turn_sums

runner = CliRunner()


def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["participation", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _expected_seconds(turns: list[dict[str, str]]) -> dict[str, Fraction]:
    """Speaking time as make_fixtures.py lays the turns out: whole-second starts (a second per turn
    and 0.4 s per word before it); each turn lasts until the next starts, the last at the pace of
    the others."""
    starts, at = [], 0.0
    for turn in turns:
        starts.append(int(at))
        at += 1 + 0.4 * len(turn["content"].split())
    seconds: dict[str, Fraction] = defaultdict(Fraction)
    for turn, start, following in zip(turns, starts, starts[1:], strict=False):
        seconds[turn["speaker"]] += following - start
    words, _ = _turn_sums(turns[:-1])
    last_words, _ = _turn_sums(turns[-1:])
    pace = Fraction(starts[-1] - starts[0], sum(words.values()))
    seconds[turns[-1]["speaker"]] += pace * sum(last_words.values())
    return seconds


@pytest.mark.parametrize("fixture", ["ES2004a.first60.otter.txt", "ES2004a.first60.teams.docx"])
def test_words_turns_and_times_from_start_only_formats(fixture: str) -> None:
    turns = json.loads(TURNS.read_text())["turns"]
    words, runs = _turn_sums(turns)
    seconds = _expected_seconds(turns)
    meeting = _json(str(MEETINGS / fixture))["meetings"][0]
    got = {s["name"]: s for s in meeting["speakers"]}
    assert {n: s["words"] for n, s in got.items()} == words
    assert {n: s["turns"] for n, s in got.items()} == runs
    assert {n: s["seconds"] for n, s in got.items()} == {
        n: round(float(v), 3) for n, v in seconds.items()
    }
    assert meeting["gini_seconds"] is not None


def test_input_format_names_the_format(tmp_path: Path) -> None:
    renamed = tmp_path / "meeting.transcript"
    renamed.write_bytes((MEETINGS / "ES2004a.first60.otter.txt").read_bytes())
    meeting = _json(str(renamed), "--input-format", "otter")["meetings"][0]
    assert meeting["speakers"][0]["seconds"] is not None
    result = runner.invoke(
        app, ["participation", str(renamed), "--input-format", "teams-docx", "--format", "json"]
    )
    assert result.exit_code == 1
    assert "not a Word document" in result.stderr


ROSTER = (
    "name,group,aliases\n"
    "Dr Pat Okafor,managers,\n"
    "Uma Nowak,patients_public,User Interface\n"
    "Mark Eting,patients_public,\n"
    "Ida Designer,practitioners,\n"
)


def test_the_mapping_is_proposed_confirmed_and_applied_next_time(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    mapping = tmp_path / "speakers.csv"
    plain = str(MEETINGS / "ES2004a.first60.txt")
    first = runner.invoke(
        app,
        ["participation", plain, "--roster", str(roster), "--mapping", str(mapping)],
    )
    assert first.exit_code == 2 and "does not exist" in first.stderr
    result = runner.invoke(
        app,
        [
            "participation",
            plain,
            "--roster",
            str(roster),
            "--mapping",
            str(mapping),
            "--save-mapping",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    meeting = json.loads(result.stdout)["meetings"][0]
    assert meeting["matching"] == [
        {
            "transcript_name": "User Interface",
            "roster_name": "Uma Nowak",
            "how": "alias",
            "score": 100.0,
        },
        # Spaces set aside, the names are the same: likely, but a person should look.
        {
            "transcript_name": "Marketing",
            "roster_name": "Mark Eting",
            "how": "fuzzy",
            "score": 100.0,
        },
    ]
    assert set(meeting["unmatched"]) == {"Project Manager", "Industrial Designer"}
    assert "Speaker names to confirm (3)" in result.stderr
    rows = mapping.read_text().splitlines()
    assert rows[0] == "transcript_name,roster_name,confirmed,note"
    assert all(",no," in row for row in rows[1:]) and len(rows) == 4
    # A person confirms two names and says the third is not on the roster.
    confirmed = [
        "transcript_name,roster_name,confirmed,note",
        "Project Manager,Dr Pat Okafor,yes,",
        "marketing,Mark Eting,YES,",
        "Industrial Designer,,yes,a visitor",
    ]
    mapping.write_text("\n".join(confirmed) + "\n")
    data = _json(plain, "--roster", str(roster), "--mapping", str(mapping), "--save-mapping")
    meeting = data["meetings"][0]
    how = {m["transcript_name"]: (m["roster_name"], m["how"]) for m in meeting["matching"]}
    assert how["Project Manager"] == ("Dr Pat Okafor", "confirmed")
    assert how["Marketing"] == ("Mark Eting", "confirmed")
    assert how["Industrial Designer"] == (None, "confirmed")
    assert meeting["unmatched"] == [] and meeting["silent"] == ["Ida Designer"]
    groups = {g["group"]: g["people"] for g in meeting["groups"]}
    assert groups == {"managers": 1, "patients_public": 2, None: 1, "practitioners": 1}
    # Nothing new to add: the lines are kept, with "yes" written the usual way.
    assert mapping.read_text().splitlines() == [row.replace("YES", "yes") for row in confirmed]


def test_a_bad_mapping_stops_before_reading_transcripts(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    mapping = tmp_path / "speakers.csv"
    mapping.write_text("transcript_name,roster_name,confirmed\nPM,Pat Okafor,yes\n")
    result = runner.invoke(
        app,
        ["participation", str(TURNS), "--roster", str(roster), "--mapping", str(mapping)],
    )
    assert result.exit_code == 2
    assert "speakers.csv:2: roster_name: 'Pat Okafor' is not on the roster" in result.stderr
    result = runner.invoke(app, ["participation", str(TURNS), "--save-mapping"])
    assert result.exit_code == 2 and "needs --mapping FILE" in result.stderr


def test_the_text_is_never_written(tmp_path: Path) -> None:
    secret = "the-pharmacy-on-Elm-Street-is-closing"
    meeting = tmp_path / "meeting.txt"
    meeting.write_text(f"Ann: {secret}\nBob: I see.\nAnn: Yes.\nCarol: {secret}\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,group,aliases\nAnn Lee,patients_public,\n")
    mapping = tmp_path / "speakers.csv"
    for output in ("json", "text"):
        result = runner.invoke(
            app,
            [
                "participation",
                str(meeting),
                "--roster",
                str(roster),
                "--mapping",
                str(mapping),
                "--save-mapping",
                "--format",
                output,
            ],
        )
        assert result.exit_code == 0, result.output
        assert secret not in result.stdout and secret not in result.stderr
    assert secret not in mapping.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "meeting.txt",
        "roster.csv",
        "speakers.csv",
    ]


def test_progress_goes_to_stderr_and_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    files = [str(MEETINGS / "ES2004a.first60.txt")] * 5
    quiet = runner.invoke(app, ["participation", *files, "--format", "json"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    shown = runner.invoke(app, ["participation", *files, "--format", "json", "--progress"])
    assert shown.exit_code == 0
    assert len(json.loads(shown.stdout)["meetings"]) == 5
    assert "Reading transcripts" in shown.stderr
