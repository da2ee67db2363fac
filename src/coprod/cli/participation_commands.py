"""``coprod participation``: who is heard in meetings, by person and by stakeholder group."""

from __future__ import annotations

import json
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from coprod.core.participation import MeetingFigures, SeriesFigures


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class InputFormat(StrEnum):
    auto = "auto"
    vtt = "vtt"
    plain = "plain"
    csv = "csv"
    json = "json"


def _num(value: Fraction | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def meeting_data(file: str, figures: MeetingFigures) -> dict[str, Any]:
    return {
        "file": file,
        "speakers": [
            {
                "name": s.name,
                "group": s.group.value if s.group else None,
                "turns": s.turns,
                "words": s.words,
                "seconds": _num(s.seconds, 3),
                "share_words": _num(s.share_words),
                "share_seconds": _num(s.share_seconds),
            }
            for s in figures.speakers
        ],
        "groups": [
            {
                "group": g.group.value if g.group else None,
                "people": g.people,
                "words": g.words,
                "share_words": _num(g.share_words),
                "seconds": _num(g.seconds, 3),
                "share_seconds": _num(g.share_seconds),
            }
            for g in figures.groups
        ],
        "gini": _num(figures.gini),
        "gini_seconds": _num(figures.gini_seconds),
        "top_share": _num(figures.top_share),
        "top_20_share": _num(figures.top_20_share),
        "silent": list(figures.silent),
        "unmatched": list(figures.unmatched),
        "unattributed": {
            "turns": figures.unattributed_turns,
            "words": figures.unattributed_words,
        },
    }


def across_data(series: SeriesFigures) -> dict[str, Any]:
    return {
        "meetings": series.meetings,
        "usual_suspects": list(series.usual_suspects),
        "above_equal_share": [{"name": n, "meetings": c} for n, c in series.above_equal],
        "group_trend": [
            {"group": g.value if g else None, "share_words": [_num(v) for v in shares]}
            for g, shares in series.group_trend
        ],
    }


def _bar(share: Fraction | None, width: int = 30) -> str:
    if share is None:
        return ""
    filled = round(float(share) * width)
    return "█" * filled + "·" * (width - filled)


def _pct(share: Fraction | None) -> str:
    return "   -  " if share is None else f"{float(share) * 100:5.1f}%"


def meeting_text(file: str, figures: MeetingFigures) -> str:
    lines = [file]
    width = max([len(s.name) for s in figures.speakers] + [4])
    for s in figures.speakers:
        secs = "" if s.seconds is None else f"  {float(s.seconds):7.1f}s {_pct(s.share_seconds)}"
        lines.append(
            f"  {s.name:<{width}}  {_bar(s.share_words)} {_pct(s.share_words)}"
            f"  {s.words:>6} words  {s.turns:>4} turns{secs}"
        )
    if figures.groups:
        lines.append("  By group:")
        for g in figures.groups:
            label = g.group.value if g.group else "(no group)"
            lines.append(f"  {label:<{width}}  {_bar(g.share_words)} {_pct(g.share_words)}")
    parts = [f"Gini (words) {_num(figures.gini, 3)}"]
    if figures.gini_seconds is not None:
        parts.append(f"Gini (time) {_num(figures.gini_seconds, 3)}")
    parts.append(f"top speaker {_pct(figures.top_share).strip()}")
    parts.append(f"top 20% {_pct(figures.top_20_share).strip()}")
    lines.append("  " + ", ".join(parts))
    if figures.silent:
        lines.append("  Said nothing: " + ", ".join(figures.silent))
    if figures.unmatched:
        lines.append("  Not on the roster: " + ", ".join(figures.unmatched))
    if figures.unattributed_turns:
        lines.append(
            f"  Without a speaker: {figures.unattributed_turns} turns, "
            f"{figures.unattributed_words} words"
        )
    return "\n".join(lines) + "\n"


def participation(
    files: Annotated[list[Path], typer.Argument(help="Transcript files.", show_default=False)],
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="A CSV of name,group,aliases (aliases separated by ';')."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text for a terminal, or json.")
    ] = OutputFormat.text,
    input_format: Annotated[
        InputFormat,
        typer.Option("--input-format", help="The transcripts' format; detected by default."),
    ] = InputFormat.auto,
) -> None:
    """Who is heard in meetings: words, turns and speaking time by person and by group."""
    from coprod.core.participation import Roster, across, analyse
    from coprod.core.problems import FileProblems
    from coprod.formats.transcripts import read_roster, read_transcript

    try:
        people = read_roster(roster) if roster else Roster()
    except FileProblems as error:
        typer.echo("The roster cannot be used:", err=True)
        for problem in error.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2) from None
    fmt = None if input_format is InputFormat.auto else input_format.value
    results: list[tuple[str, MeetingFigures]] = []
    failed = False
    for path in files:
        try:
            turns = read_transcript(path, fmt)
        except FileProblems as error:
            failed = True
            typer.echo(f"{path} cannot be read:", err=True)
            for problem in error.problems:
                typer.echo(f"  {problem}", err=True)
            continue
        results.append((str(path), analyse(turns, people)))
    series = across([f for _, f in results])
    if output is OutputFormat.json:
        data = {
            "meetings": [meeting_data(name, figures) for name, figures in results],
            "across": across_data(series),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for name, figures in results:
            typer.echo(meeting_text(name, figures))
        if len(results) > 1:
            typer.echo(f"Across {series.meetings} meetings")
            suspects = ", ".join(series.usual_suspects) or "nobody"
            typer.echo(f"  Above an equal share in most meetings: {suspects}")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the participation command to ``app``."""
    app.command()(participation)
