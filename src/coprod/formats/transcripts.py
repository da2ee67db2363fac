"""Read meeting transcripts into turns (issue 6).

Formats: WebVTT with voice tags (``<v Name>``, ``<v.class Name>``, several voice spans in one cue,
cues whose lines start with ``- ``), Zoom's VTT (``Name: text`` inside cues), plain ``Name: text``
lines, and a CSV or JSON of turns (``speaker,start,end,text``). The format is detected, or named.

Files as tools write them: byte-order marks, CRLF line endings, blank speakers, hours past 99,
overlapping cues. Consecutive cues by the same speaker become one turn. A malformed file raises
:class:`FileProblems` with the line and what was expected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from coprod.core.ids import Group
from coprod.core.participation import (
    Roster,
    RosterPerson,
    Turn,
    count_words,
    merge_consecutive,
)
from coprod.core.problems import FileProblems, Problem

MAX_BYTES = 50_000_000


class TranscriptFormat(StrEnum):
    vtt = "vtt"
    plain = "plain"
    csv = "csv"
    json = "json"


_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"</?[^>]*>")
_NAMED = re.compile(r"^\s*([^:<>]{0,80}?)\s*:\s+(.*)$")
_NAMED_EMPTY = re.compile(r"^\s*([^:<>]{0,80}?)\s*:\s*$")


def parse_time(text: str) -> Fraction | None:
    """Seconds from ``[h:]mm:ss[.mmm]`` or a plain number of seconds; None if it is neither."""
    text = text.strip()
    match = re.fullmatch(_TIME, text)
    if match:
        hours, minutes, seconds, millis = match.groups()
        value = Fraction(int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds))
        if millis:
            value += Fraction(int(millis), 10 ** len(millis))
        if (int(minutes) >= 60 and hours is not None) or int(seconds) >= 60:
            return None
        return value
    try:
        number = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    return number if number >= 0 else None


def _timing_match(match: re.Match[str]) -> tuple[Fraction, Fraction] | None:
    groups = match.groups()

    def seconds(h: str | None, m: str, s: str, ms: str | None) -> Fraction | None:
        if int(s) >= 60 or (h is not None and int(m) >= 60):
            return None
        value = Fraction(int(h or 0) * 3600 + int(m) * 60 + int(s))
        return value + Fraction(int(ms), 10 ** len(ms)) if ms else value

    a = seconds(groups[0], groups[1], groups[2], groups[3])
    b = seconds(groups[4], groups[5], groups[6], groups[7])
    if a is None or b is None:
        return None
    return a, b


def detect_format(text: str, name: str = "") -> TranscriptFormat:
    """Guess the format from the content, then the file name."""
    head = text.lstrip("\ufeff").lstrip()
    if head.startswith("WEBVTT"):
        return TranscriptFormat.vtt
    if head.startswith(("{", "[")):
        return TranscriptFormat.json
    suffix = Path(name).suffix.lower()
    if suffix == ".vtt":
        return TranscriptFormat.vtt
    if suffix == ".json":
        return TranscriptFormat.json
    if suffix == ".csv":
        return TranscriptFormat.csv
    first = head.splitlines()[0].casefold() if head else ""
    if "speaker" in first and "text" in first and "," in first:
        return TranscriptFormat.csv
    return TranscriptFormat.plain


def read_transcript(path: Path, fmt: TranscriptFormat | str | None = None) -> list[Turn]:
    """Read the transcript at ``path``."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FileProblems([Problem(name, None, None, "", "is larger than 50 MB")])
        data = path.read_bytes()
    except OSError as error:
        raise FileProblems(
            [Problem(name, None, None, "", f"cannot be read: {error.strerror or error}")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblems(
            [Problem(name, None, None, "", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    return parse_transcript(text, name, fmt)


def parse_transcript(
    text: str, name: str = "<transcript>", fmt: TranscriptFormat | str | None = None
) -> list[Turn]:
    """Turns from transcript text. ``fmt`` names the format; by default it is detected."""
    text = text.lstrip("\ufeff")
    chosen = TranscriptFormat(fmt) if fmt else detect_format(text, name)
    lines = text.splitlines()
    if chosen is TranscriptFormat.vtt:
        cues = _vtt(lines, name)
    elif chosen is TranscriptFormat.plain:
        cues = _plain(lines, name)
    elif chosen is TranscriptFormat.csv:
        cues = _csv(text, name)
    else:
        cues = _json(text, name)
    return merge_consecutive(cues)


def _clean(text: str) -> str:
    return " ".join(_TAG.sub("", text).split())


def _speaker(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = " ".join(raw.split())
    return cleaned or None


def _vtt(lines: Sequence[str], name: str) -> list[Turn]:
    if not lines or not lines[0].startswith("WEBVTT"):
        raise FileProblems(
            [Problem(name, 1, 1, "", "expected a WebVTT file to start with 'WEBVTT'")]
        )
    problems: list[Problem] = []
    turns: list[Turn] = []
    index = 1
    while index < len(lines) and lines[index].strip():  # header lines
        index += 1
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index >= len(lines):
            break
        block_start = index
        block: list[str] = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            problems.append(
                Problem(
                    name,
                    block_start + 1,
                    1,
                    "",
                    "expected a cue timing line like '00:00:01.000 --> 00:00:04.000'",
                )
            )
            continue
        line_no = block_start + timing_at + 1
        match = _TIMING.match(block[timing_at])
        times = _timing_match(match) if match else None
        if times is None:
            problems.append(
                Problem(
                    name,
                    line_no,
                    1,
                    "",
                    f"expected a cue timing line like '00:00:01.000 --> 00:00:04.000', "
                    f"found {block[timing_at].strip()!r}",
                )
            )
            continue
        start, end = times
        if end < start:
            problems.append(
                Problem(name, line_no, 1, "", "expected the cue to end after it starts")
            )
            continue
        turns.extend(_cue_turns(block[timing_at + 1 :], start, end, line_no))
    if problems:
        raise FileProblems(problems)
    return turns


def _cue_turns(text_lines: Sequence[str], start: Fraction, end: Fraction, line: int) -> list[Turn]:
    """Split one cue into (speaker, text) pieces, sharing its time by words."""
    pieces: list[tuple[str | None, str]] = []
    current: str | None = None
    for raw in text_lines:
        body = raw.strip()
        if body.startswith("- "):
            body = body[2:]
        voices = list(_VOICE.finditer(body))
        if voices:
            before = body[: voices[0].start()]
            if _clean(before):
                pieces.append((current, _clean(before)))
            for i, voice in enumerate(voices):
                stop = voices[i + 1].start() if i + 1 < len(voices) else len(body)
                current = _speaker(voice.group(1))
                pieces.append((current, _clean(body[voice.end() : stop])))
            continue
        named = _NAMED.match(_clean(body)) or _NAMED_EMPTY.match(_clean(body))
        if named and not re.fullmatch(r"\d+", named.group(1) or ""):
            current = _speaker(named.group(1))
            pieces.append((current, named.group(2) if named.lastindex == 2 else ""))
            continue
        pieces.append((current, _clean(body)))
    joined: list[tuple[str | None, str]] = []
    for speaker, text in pieces:
        if joined and joined[-1][0] == speaker:
            joined[-1] = (speaker, f"{joined[-1][1]} {text}".strip())
        else:
            joined.append((speaker, text))
    joined = [(s, t) for s, t in joined if t or s is not None] or [(None, "")]
    if len(joined) == 1:
        return [Turn(joined[0][0], start, end, joined[0][1], line)]
    weights = [max(count_words(t), 1) for _, t in joined]
    total = sum(weights)
    result = []
    at: Fraction = start
    for (speaker, text), weight in zip(joined, weights, strict=True):
        until = at + (end - start) * Fraction(weight, total)
        result.append(Turn(speaker, at, until, text, line))
        at = until
    return result


def _plain(lines: Sequence[str], name: str) -> list[Turn]:
    turns: list[Turn] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        named = _NAMED.match(raw) or _NAMED_EMPTY.match(raw)
        if named:
            text = named.group(2).strip() if named.lastindex == 2 else ""
            turns.append(Turn(_speaker(named.group(1)), None, None, text, number))
        elif turns:
            last = turns[-1]
            turns[-1] = Turn(last.speaker, None, None, f"{last.text} {raw.strip()}", last.line)
        else:
            raise FileProblems(
                [
                    Problem(
                        name,
                        number,
                        1,
                        "",
                        "expected a line like 'Name: what they said'",
                    )
                ]
            )
    return turns


def _row_turn(
    row: dict[str, Any], name: str, line: int | None, path: str, problems: list[Problem]
) -> Turn | None:
    lowered = {str(k).strip().casefold(): v for k, v in row.items() if k is not None}
    text = lowered.get("text", lowered.get("content"))
    if text is None:
        problems.append(Problem(name, line, None, path, "expected a 'text' value"))
        return None
    speaker = lowered.get("speaker")
    times: list[Fraction | None] = []
    for key in ("start", "end"):
        value = lowered.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            times.append(None)
            continue
        parsed = (
            Fraction(str(value))
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            else parse_time(value)
            if isinstance(value, str)
            else None
        )
        if parsed is None:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"{path}.{key}" if path else key,
                    f"expected seconds or h:mm:ss.mmm, found {value!r}",
                )
            )
        times.append(parsed)
    start, end = times
    if start is not None and end is not None and end < start:
        problems.append(Problem(name, line, None, path, "expected the end after the start"))
    return Turn(
        _speaker(str(speaker)) if speaker is not None else None, start, end, str(text), line
    )


def _csv(text: str, name: str) -> list[Turn]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().casefold() for f in reader.fieldnames or []]
    if "speaker" not in fields or not ({"text", "content"} & set(fields)):
        raise FileProblems(
            [Problem(name, 1, 1, "", "expected a header row with columns speaker,start,end,text")]
        )
    problems: list[Problem] = []
    turns = []
    for row in reader:
        turn = _row_turn(row, name, reader.line_num, "", problems)
        if turn is not None:
            turns.append(turn)
    if problems:
        raise FileProblems(problems)
    return turns


def _json(text: str, name: str) -> list[Turn]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblems(
            [Problem(name, error.lineno, error.colno, "", f"is not valid JSON: {error.msg}")]
        ) from None
    rows = data.get("turns") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise FileProblems(
            [Problem(name, 1, 1, "", "expected a list of turns, or an object with 'turns'")]
        )
    problems: list[Problem] = []
    turns = []
    for i, row in enumerate(rows):
        path = f"turns[{i}]"
        if not isinstance(row, dict):
            problems.append(Problem(name, None, None, path, "expected an object"))
            continue
        turn = _row_turn(row, name, None, path, problems)
        if turn is not None:
            turns.append(turn)
    if problems:
        raise FileProblems(problems)
    return turns


def read_roster(path: Path) -> Roster:
    """A roster CSV with columns ``name,group,aliases`` (aliases separated by ``;``)."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise FileProblems(
            [Problem(name, None, None, "", f"cannot be read: {error.strerror or error}")]
        ) from None
    except UnicodeDecodeError as error:
        raise FileProblems(
            [Problem(name, None, None, "", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().casefold() for f in reader.fieldnames or []]
    if "name" not in fields:
        raise FileProblems(
            [Problem(name, 1, 1, "", "expected a header row with columns name,group,aliases")]
        )
    problems: list[Problem] = []
    people: list[RosterPerson] = []
    groups = ", ".join(g.value for g in Group)
    for row in reader:
        values = {str(k).strip().casefold(): (v or "").strip() for k, v in row.items() if k}
        person = values.get("name", "")
        if not person:
            problems.append(Problem(name, reader.line_num, None, "name", "expected a name"))
            continue
        group_text = values.get("group", "")
        group: Group | None = None
        if group_text:
            try:
                group = Group(group_text)
            except ValueError:
                problems.append(
                    Problem(
                        name,
                        reader.line_num,
                        None,
                        "group",
                        f"expected one of {groups}, found {group_text!r}",
                    )
                )
                continue
        aliases = tuple(a.strip() for a in values.get("aliases", "").split(";") if a.strip())
        people.append(RosterPerson(person, group, aliases))
    if problems:
        raise FileProblems(problems)
    return Roster(tuple(people))
