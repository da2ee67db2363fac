"""Read meeting transcripts into turns (issue 6).

Formats: WebVTT with voice tags (``<v Name>``, ``<v.class Name>``, several voice spans in one cue,
cues whose lines start with ``- ``), Zoom's VTT (``Name: text`` inside cues), Microsoft Teams' VTT
(cue ids like ``3f2a…/17-0`` and ``<v Name>…</v>``), Teams' DOCX (see
:mod:`coprod.formats.transcript_docx`), Otter's TXT (``Name  1:02:03`` above each paragraph), plain
``Name: text`` lines, and a CSV or JSON of turns (``speaker,start,end,text``). The format is
detected, or named.

Plain ``Name: text`` lines are read strictly, because notes such as "Action: send the slides", a
link or "10:30: coffee" also hold a colon early on. A label before the colon is read as a speaker
only when it looks like a name (:func:`name_like`: one to six words, at most 60 characters, with
a letter, not a time or a link, and not a common label like "Note" or "Action") and it either
labels two lines or more in the file, or is a known speaker (on the roster, or confirmed in a
mapping). In a very short file where no label repeats, every name-like label counts. A line whose
label is refused belongs to the turn before it.

Formats with start times only (Teams DOCX, Otter) give each turn the time until the next turn
starts; the last turn gets the meeting's own seconds per word over the turns before it.

Files as tools write them: byte-order marks, CRLF line endings, blank speakers, hours past 99,
overlapping cues. Consecutive cues by the same speaker become one turn. A malformed file raises
:class:`FileProblems` with the line and what was expected.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    zoom = "zoom"  # Zoom's VTT: read as vtt
    teams_vtt = "teams-vtt"  # Teams' VTT: read as vtt
    teams_docx = "teams-docx"
    otter = "otter"
    plain = "plain"
    csv = "csv"
    json = "json"


_READ_AS_VTT = {TranscriptFormat.vtt, TranscriptFormat.zoom, TranscriptFormat.teams_vtt}
KnownSpeaker = Callable[[str], bool]


_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"</?[^>]*>")
_NAMED = re.compile(r"^\s*([^:<>]{0,80}?)\s*:\s+(.*)$")
_NAMED_EMPTY = re.compile(r"^\s*([^:<>]{0,80}?)\s*:\s*$")
# Otter's and Teams' heading above a paragraph: a name, two spaces or a tab, then m:ss or h:mm:ss.
HEADING = re.compile(r"^\s*(?:(.*?\S)(?:\s{2,}|\t)\s*)?(\d{1,3}:\d{2}(?::\d{2})?)\s*$")
_OTTER_FOOTER = re.compile(r"^\s*transcribed by\s+https?://otter\.ai\s*$", re.IGNORECASE)
# Labels that name a kind of line, not a person ("Note: …", "Action: …"); compared casefolded.
COMMON_LABELS = frozenset(
    {
        "note", "notes", "nb", "ps", "action", "actions", "action point", "action points",
        "agenda", "agenda item", "item", "items", "re", "subject", "date", "time", "when",
        "where", "location", "venue", "summary", "decision", "decisions", "question",
        "questions", "answer", "answers", "q", "a", "todo", "to do", "update", "updates",
        "minutes", "attendees", "present", "apologies", "outcome", "outcomes", "next steps",
        "next step", "follow up", "follow-up", "http", "https", "www", "tel", "phone", "email",
        "e-mail", "fax", "ref", "reference", "title", "warning", "important", "reminder",
        "example", "link", "url", "source", "page", "step", "task", "tasks", "deadline", "due",
        "status", "comment", "comments", "aim", "aims", "objective", "objectives", "result",
        "results", "risk", "risks", "issue", "issues", "topic", "purpose", "background",
    }
)  # fmt: skip


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
    if suffix == ".docx":
        return TranscriptFormat.teams_docx
    first = head.splitlines()[0] if head else ""
    if "speaker" in first.casefold() and "text" in first.casefold() and "," in first:
        return TranscriptFormat.csv
    heading = HEADING.match(first)
    if heading and heading.group(1):
        return TranscriptFormat.otter
    return TranscriptFormat.plain


def _refuse(name: str, message: str) -> FileProblems:
    return FileProblems([Problem(name, None, None, "", message)])


def read_transcript(
    path: Path,
    fmt: TranscriptFormat | str | None = None,
    *,
    keep_text: bool = True,
    known: KnownSpeaker | None = None,
) -> list[Turn]:
    """Read the transcript at ``path``. With ``keep_text=False`` the turns hold their word counts
    and no text (see :meth:`Turn.without_text`). ``known`` says whether a label is a known
    speaker, for plain text (see the module's notes)."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _refuse(name, "is larger than 50 MB")
        data = path.read_bytes()
    except OSError as error:
        raise _refuse(name, f"cannot be read: {error.strerror or error}") from None
    chosen = TranscriptFormat(fmt) if fmt else None
    if chosen is TranscriptFormat.teams_docx or (chosen is None and _is_docx(data, name)):
        from coprod.formats.transcript_docx import parse_docx

        turns = merge_consecutive(parse_docx(data, name))
        return turns if keep_text else [t.without_text() for t in turns]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(name, f"is not UTF-8 text (byte {error.start})") from None
    return parse_transcript(text, name, chosen, keep_text=keep_text, known=known)


def _is_docx(data: bytes, name: str) -> bool:
    # A DOCX is a ZIP archive; its first bytes say so whatever the file is called.
    return data.startswith(b"PK\x03\x04") or Path(name).suffix.lower() == ".docx"


def parse_transcript(
    text: str,
    name: str = "<transcript>",
    fmt: TranscriptFormat | str | None = None,
    *,
    keep_text: bool = True,
    known: KnownSpeaker | None = None,
) -> list[Turn]:
    """Turns from transcript text. ``fmt`` names the format; by default it is detected."""
    text = text.lstrip("\ufeff")
    chosen = TranscriptFormat(fmt) if fmt else detect_format(text, name)
    lines = text.splitlines()
    if chosen in _READ_AS_VTT:
        cues = _vtt(lines, name)
    elif chosen is TranscriptFormat.otter:
        cues = _otter(lines, name)
    elif chosen is TranscriptFormat.plain:
        cues = _plain(lines, name, known)
    elif chosen is TranscriptFormat.csv:
        cues = _csv(text, name)
    elif chosen is TranscriptFormat.json:
        cues = _json(text, name)
    else:
        raise _refuse(name, "is not a Word document: teams-docx needs the .docx file itself")
    turns = merge_consecutive(cues)
    return turns if keep_text else [t.without_text() for t in turns]


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
        if named and (not named.group(1) or name_like(named.group(1), named.group(0))):
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


def name_like(label: str, line: str = "") -> bool:
    """Whether a label before a colon could be a person's name (see the module's notes)."""
    words = label.split()
    after = line[line.find(":") + 1 :] if line else ""
    return (
        0 < len(words) <= 6
        and len(label) <= 60
        and any(ch.isalpha() for ch in label)
        and not label[0].isdigit()
        and not after.startswith("//")
        and " ".join(words).casefold().rstrip(".") not in COMMON_LABELS
    )


@dataclass(frozen=True)
class _Labelled:
    number: int
    label: str | None  # None: the line has no label
    text: str
    raw: str


def _labelled(lines: Sequence[str]) -> list[_Labelled]:
    result = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        named = _NAMED.match(raw) or _NAMED_EMPTY.match(raw)
        if named:
            text = named.group(2).strip() if named.lastindex == 2 else ""
            result.append(_Labelled(number, " ".join(named.group(1).split()), text, raw))
        else:
            result.append(_Labelled(number, None, raw.strip(), raw))
    return result


def _speakers(rows: Sequence[_Labelled], known: KnownSpeaker | None) -> set[str]:
    """The labels read as speakers: name-like, and repeated or known (see the module's notes)."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.label and name_like(row.label, row.raw):
            counts[row.label.casefold()] = counts.get(row.label.casefold(), 0) + 1
    if not any(n > 1 for n in counts.values()):
        return set(counts)
    return {label for label, n in counts.items() if n > 1 or (known is not None and known(label))}


def _plain(lines: Sequence[str], name: str, known: KnownSpeaker | None = None) -> list[Turn]:
    rows = _labelled(lines)
    speakers = _speakers(rows, known)
    turns: list[Turn] = []
    for row in rows:
        if row.label == "":
            turns.append(Turn(None, None, None, row.text, row.number))
        elif row.label is not None and row.label.casefold() in speakers:
            turns.append(Turn(row.label, None, None, row.text, row.number))
        elif turns:
            last = turns[-1]
            joined = f"{last.text} {row.raw.strip()}".strip()
            turns[-1] = Turn(last.speaker, None, None, joined, last.line)
        else:
            why = (
                f": {row.label!r} is not read as a speaker's name" if row.label is not None else ""
            )
            raise FileProblems(
                [
                    Problem(
                        name,
                        row.number,
                        1,
                        "",
                        f"expected a line like 'Name: what they said'{why}",
                    )
                ]
            )
    return turns


def _otter(lines: Sequence[str], name: str) -> list[Turn]:
    """Otter's TXT: a heading ``Name  0:00`` (or a time alone), then the paragraph, then a blank
    line. Its footer ("Transcribed by https://otter.ai") is not speech."""
    starts: list[tuple[str | None, Fraction, list[str], int]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or _OTTER_FOOTER.match(raw):
            continue
        heading = HEADING.match(raw)
        start = parse_time(heading.group(2)) if heading else None
        if heading and start is not None:
            starts.append((_speaker(heading.group(1)), start, [], number))
        elif starts:
            starts[-1][2].append(raw.strip())
        else:
            raise FileProblems(
                [
                    Problem(
                        name,
                        number,
                        1,
                        "",
                        "expected a heading like 'Name  0:00' (a name, two spaces, the time)",
                    )
                ]
            )
    return timed_from_starts([(s, t, " ".join(x), n) for s, t, x, n in starts], name)


def timed_from_starts(
    entries: Sequence[tuple[str | None, Fraction, str, int]], name: str, where: str = "line"
) -> list[Turn]:
    """Turns from (speaker, start, text, line or paragraph) with start times only. Each turn lasts
    until the next starts; the last lasts its words at the meeting's seconds per word so far
    (or no time at all when nothing before it says how fast people spoke)."""
    problems = [
        Problem(
            name,
            b[3] if where == "line" else None,
            None,
            "" if where == "line" else f"{where} {b[3]}",
            f"expected times in order: {float(b[1]):g}s comes after {float(a[1]):g}s",
        )
        for a, b in itertools.pairwise(entries)
        if b[1] < a[1]
    ]
    if problems:
        raise FileProblems(problems)
    turns = [
        Turn(speaker, start, following[1], text, line)
        for (speaker, start, text, line), following in itertools.pairwise(entries)
    ]
    if entries:
        speaker, start, text, line = entries[-1]
        spoken = sum((t.end - t.start for t in turns if t.end and t.start is not None), Fraction())
        words = sum(count_words(t.text) for t in turns)
        end = start + spoken / words * count_words(text) if words else None
        turns.append(Turn(speaker, start, end, text, line))
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


def read_utf8(path: Path) -> str:
    """A small text file's content (a byte-order mark dropped), or a problem saying why not."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise _refuse(str(path), f"cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise _refuse(str(path), f"is not UTF-8 text (byte {error.start})") from None


def read_roster(path: Path) -> Roster:
    """A roster CSV with columns ``name,group,aliases`` (aliases separated by ``;``)."""
    name = str(path)
    text = read_utf8(path)
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
