"""Microsoft Teams transcripts downloaded as Word documents (.docx).

Two layouts are read, as Teams has written them:

- **Headings** (Teams since 2022): a paragraph ``Name   0:03`` (the name, then spaces or a tab,
  then m:ss or h:mm:ss from the start of the meeting), then what was said, in the same paragraph
  after a line break or in the paragraphs that follow. Each turn lasts until the next starts.
- **Cues** (Teams and Stream before 2022): ``0:0:3.450 --> 0:0:9.120``, then the speaker's name,
  then what was said, again in one paragraph or several. A cue may also hold ``<v Name>text``.

The title, date and length Teams puts above the first turn, and the lines "… started
transcription" and "… stopped transcription", are not speech. The first heading or cue found sets
the layout; after that, lines of the other layout are read as speech. Problems name the paragraph.
"""

from __future__ import annotations

import io
import re
from fractions import Fraction

from coprod.core.participation import Turn
from coprod.core.problems import FileProblems, Problem
from coprod.formats.transcripts import HEADING, parse_time, timed_from_starts

_STAMP = r"(\d{1,3}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_ARROW = re.compile(rf"^\s*{_STAMP}\s*-->\s*{_STAMP}\s*$")
_EVENT = re.compile(r"^.{0,120}?\b(?:started|stopped) transcription\s*$", re.IGNORECASE)
_VOICE_LINE = re.compile(r"^<v(?:\.[^\s>]*)?\s+([^>]*)>(.*?)(?:</v>)?\s*$")
EXPECTED = (
    "expected a Teams transcript: a paragraph like 'Name   0:03' or '0:0:3.450 --> 0:0:9.120', "
    "then what was said"
)


def _seconds(h: str, m: str, s: str, ms: str | None) -> Fraction | None:
    if int(m) >= 60 or int(s) >= 60:
        return None
    value = Fraction(int(h) * 3600 + int(m) * 60 + int(s))
    return value + Fraction(int(ms), 10 ** len(ms)) if ms else value


def paragraph_lines(data: bytes, name: str) -> list[tuple[int, str]]:
    """(paragraph number, line) for each non-blank line of the document's body."""
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds of error for a damaged file
        raise FileProblems(
            [Problem(name, None, None, "", "is not a Word document (DOCX) that can be opened")]
        ) from None
    return [
        (number, line.strip())
        for number, paragraph in enumerate(document.paragraphs, start=1)
        for line in paragraph.text.split("\n")
        if line.strip()
    ]


class _Cue:
    def __init__(self, start: Fraction, end: Fraction | None, paragraph: int) -> None:
        self.start, self.end, self.paragraph = start, end, paragraph
        self.speaker: str | None = None
        self.named = False
        self.text: list[str] = []


def parse_docx(data: bytes, name: str) -> list[Turn]:
    """Turns (cues) from a Teams DOCX transcript; consecutive ones are not merged here."""
    layout: str | None = None
    cues: list[_Cue] = []
    problems: list[Problem] = []
    for number, line in paragraph_lines(data, name):
        arrow = _ARROW.match(line) if layout != "heading" else None
        heading = HEADING.match(line) if layout != "cue" and not arrow else None
        if arrow:
            layout = "cue"
            groups = arrow.groups()
            start, end = _seconds(*groups[:4]), _seconds(*groups[4:])
            if start is None or end is None or end < start:
                problems.append(Problem(name, None, None, f"paragraph {number}", _bad(line)))
                continue
            cues.append(_Cue(start, end, number))
        elif heading and parse_time(heading.group(2)) is not None:
            layout = "heading"
            start = parse_time(heading.group(2))
            assert start is not None  # checked just above
            cues.append(_Cue(start, None, number))
            cues[-1].speaker, cues[-1].named = _name(heading.group(1)), True
        elif _EVENT.match(line) or not cues:
            continue  # "… started transcription", or the title and date above the first turn
        elif layout == "cue" and not cues[-1].named:
            voice = _VOICE_LINE.match(line)
            cues[-1].speaker, cues[-1].named = _name(voice.group(1) if voice else line), True
            if voice and voice.group(2).strip():
                cues[-1].text.append(voice.group(2).strip())
        else:
            cues[-1].text.append(line)
    if problems:
        raise FileProblems(problems)
    if not cues:
        raise FileProblems([Problem(name, None, None, "paragraph 1", EXPECTED)])
    if layout == "cue":
        return [Turn(c.speaker, c.start, c.end, " ".join(c.text), c.paragraph) for c in cues]
    entries = [(c.speaker, c.start, " ".join(c.text), c.paragraph) for c in cues]
    return timed_from_starts(entries, name, where="paragraph")


def _name(raw: str | None) -> str | None:
    cleaned = " ".join((raw or "").split())
    return cleaned or None


def _bad(line: str) -> str:
    expected = "expected a cue time like '0:0:3.450 --> 0:0:9.120' that ends after it starts"
    return f"{expected}, found {line!r}"
