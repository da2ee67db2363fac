"""``coprod participation``: who is heard in meetings, by person and by stakeholder group."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coprod.core.participation import MeetingFigures, Roster
    from coprod.core.speaker_matching import Proposal, SpeakerMapping
    from coprod.formats.transcript_mapping import MappingRow


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class InputFormat(StrEnum):
    auto = "auto"
    vtt = "vtt"
    zoom = "zoom"
    teams_vtt = "teams-vtt"
    teams_docx = "teams-docx"
    otter = "otter"
    plain = "plain"
    csv = "csv"
    json = "json"


PROGRESS_FROM = 4  # files: fewer go by too quickly for a progress bar to help


def _bar(share: Fraction | None, width: int = 30) -> str:
    if share is None:
        return ""
    filled = round(float(share) * width)
    return "█" * filled + "·" * (width - filled)


def _pct(share: Fraction | None) -> str:
    return "   -  " if share is None else f"{float(share) * 100:5.1f}%"


def _gini(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):.3f}"


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
    parts = [f"Gini (words) {_gini(figures.gini)}"]
    if figures.gini_seconds is not None:
        parts.append(f"Gini (time) {_gini(figures.gini_seconds)}")
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


def _problems(title: str, error: Exception) -> None:
    typer.echo(title, err=True)
    for problem in getattr(error, "problems", ()):
        typer.echo(f"  {problem}", err=True)


def _known(roster: Roster, mapping: SpeakerMapping) -> Callable[[str], bool]:
    """Whether a plain-text label is a known speaker: on the roster, or confirmed."""
    from coprod.core.speaker_matching import match_speakers

    cache: dict[str, bool] = {}

    def known(label: str) -> bool:
        if label not in cache:
            cache[label] = bool(match_speakers([label], roster, mapping).matches)
        return cache[label]

    return known


def _with_progress(files: Sequence[Path], show: bool | None) -> Iterator[Path]:
    """The files one by one, with a progress bar on stderr for a batch when it is a terminal
    (or when asked). Nothing of it reaches stdout, so JSON there stays clean."""
    wanted = show if show is not None else len(files) >= PROGRESS_FROM and sys.stderr.isatty()
    if not wanted:
        yield from files
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True, force_terminal=show or None)
    columns = (
        "Reading transcripts",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("transcripts", total=len(files))
        for path in files:
            yield path
            progress.advance(task)


def _to_confirm(proposals: Sequence[Proposal], mapping_file: Path | None, saved: bool) -> None:
    if not proposals:
        return
    typer.echo(f"Speaker names to confirm ({len(proposals)}):", err=True)
    for p in proposals:
        target = f" -> {p.roster_name}" if p.roster_name else ""
        typer.echo(f"  {p.transcript_name}{target}: {p.note}", err=True)
    if saved and mapping_file is not None:
        typer.echo(
            f"They are in {mapping_file}, marked confirmed=no: correct the roster names, "
            "write yes, and run again.",
            err=True,
        )
    else:
        typer.echo(
            "Add --mapping FILE --save-mapping to write them to a file to confirm.", err=True
        )


def _unique_proposals(results: Sequence[tuple[str, MeetingFigures]]) -> list[Proposal]:
    from coprod.core.speaker_matching import normalise_name, proposals

    seen: set[str] = set()
    found = []
    for _, figures in results:
        for proposal in proposals(figures.matching):
            if normalise_name(proposal.transcript_name) not in seen:
                seen.add(normalise_name(proposal.transcript_name))
                found.append(proposal)
    return found


def participation(
    files: Annotated[list[Path], typer.Argument(help="Transcript files.", show_default=False)],
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="A CSV of name,group,aliases (aliases separated by ';')."),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="A CSV of transcript_name,roster_name,confirmed,note: speaker names a person "
            "confirmed at earlier meetings, applied before any other matching.",
        ),
    ] = None,
    save_mapping: Annotated[
        bool,
        typer.Option(
            "--save-mapping",
            help="Add the names to confirm to the --mapping file (created if missing), "
            "unconfirmed; lines already there are kept.",
        ),
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text for a terminal, or json.")
    ] = OutputFormat.text,
    input_format: Annotated[
        InputFormat,
        typer.Option("--input-format", help="The transcripts' format; detected by default."),
    ] = InputFormat.auto,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="A progress bar on stderr. By default, for 4 files or more when stderr is a "
            "terminal.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Who is heard in meetings: words, turns and speaking time by person and by group."""
    from coprod.core.participation import MeetingTally, Roster, across, meeting_data, series_data
    from coprod.core.problems import FileProblems
    from coprod.core.speaker_matching import SpeakerMapping
    from coprod.formats.transcript_mapping import add_proposals, read_mapping, write_mapping
    from coprod.formats.transcripts import read_roster, read_transcript

    if save_mapping and mapping_file is None:
        typer.echo("--save-mapping needs --mapping FILE, the file to write.", err=True)
        raise typer.Exit(2)
    try:
        people = read_roster(roster) if roster else Roster()
    except FileProblems as error:
        _problems("The roster cannot be used:", error)
        raise typer.Exit(2) from None
    mapping: SpeakerMapping = SpeakerMapping()
    rows: list[MappingRow] = []
    if mapping_file is not None:
        if not mapping_file.exists() and not save_mapping:
            typer.echo(f"{mapping_file} does not exist (add --save-mapping to make it).", err=True)
            raise typer.Exit(2)
        try:
            mapping, rows = read_mapping(mapping_file, people if people.people else None)
        except FileProblems as error:
            _problems("The mapping cannot be used:", error)
            raise typer.Exit(2) from None
    fmt = None if input_format is InputFormat.auto else input_format.value
    known = _known(people, mapping)
    results: list[tuple[str, MeetingFigures]] = []
    failed = False
    for path in _with_progress(files, progress):
        try:
            # keep_text=False: the turns carry word counts only, so no text outlives the reader.
            turns = read_transcript(path, fmt, keep_text=False, known=known)
        except FileProblems as error:
            failed = True
            _problems(f"{path} cannot be read:", error)
            continue
        figures = MeetingTally().add_all(turns).figures(people, mapping)
        del turns
        results.append((str(path), figures))
    series = across([f for _, f in results])
    if output is OutputFormat.json:
        data = {
            "meetings": [{"file": name, **meeting_data(figures)} for name, figures in results],
            "across": series_data(series),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for name, figures in results:
            typer.echo(meeting_text(name, figures))
        if len(results) > 1:
            typer.echo(f"Across {series.meetings} meetings")
            suspects = ", ".join(series.usual_suspects) or "nobody"
            typer.echo(f"  Above an equal share in most meetings: {suspects}")
    to_confirm = _unique_proposals(results) if people.people else []
    if save_mapping and mapping_file is not None:
        try:
            write_mapping(mapping_file, add_proposals(rows, to_confirm))
        except OSError as error:
            typer.echo(f"{mapping_file} cannot be written: {error.strerror or error}", err=True)
            raise typer.Exit(1) from None
    _to_confirm(to_confirm, mapping_file, save_mapping)
    if failed:
        raise typer.Exit(1)


# One string per paragraph: the help wraps them to the terminal's width.
HELP = "\n\n".join(
    [
        "Who is heard in meetings: words, turns and speaking time by person and by group, how "
        "concentrated speaking is (Gini, top shares), and who dominates across meetings.",
        "Reads WebVTT (voice tags, Zoom, Teams), Teams DOCX, Otter TXT, plain 'Name: text' "
        "lines, and CSV or JSON turns. In plain text a label before a colon counts as a speaker "
        "only if it looks like a name and labels two lines or more, or is on the roster: "
        "'Note:', 'Action:', links and times do not.",
        "Speaker names are matched to the roster through aliases, first names, titles, "
        "post-nominals, accents and near spellings. Names it is unsure of are listed on stderr "
        "for a person to confirm; --mapping FILE --save-mapping keeps them in a file, and the "
        "confirmed lines are applied first at the next meeting.",
        "What was said is never written anywhere: each file is read, counted and let go, and "
        "only the figures are printed.",
    ]
)


def register(app: typer.Typer) -> None:
    """Add the participation command to ``app``."""
    app.command(help=HELP)(participation)
