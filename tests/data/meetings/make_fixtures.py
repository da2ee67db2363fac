"""Make the participation fixtures here from the AMI files in ../shared/data/meetings/ami.

Run from the repository root: ``python tests/data/meetings/make_fixtures.py [AMI folder]``.
The AMI Meeting Corpus is CC BY 4.0; see README.md for the attribution.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

from docx import Document

HERE = Path(__file__).parent
SECONDS = 300  # RTTM segments starting in the first five minutes
TURNS = 60  # the first sixty turns of the turn file
TEAMS_CUE = 4.0  # Teams splits speech into cues of a few seconds; so do these fixtures


def starts(turns: list[dict[str, str]]) -> list[int]:
    """Made-up start times for the turn file (it has none), in whole seconds as Teams' and Otter's
    headings show them: a second per turn and 0.4 s per word before it. Tests use the same rule."""
    result, at = [], 0.0
    for turn in turns:
        result.append(int(at))
        at += 1 + 0.4 * len(turn["content"].split())
    return result


def clock(seconds: int) -> str:
    """m:ss, or h:mm:ss past the hour, as Teams and Otter write a turn's start."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def teams_stamp(seconds: float) -> str:
    """Classic Teams' DOCX cue time: h:m:s.mmm without leading zeros (0:0:3.450)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes}:{rest / 1000:.3f}"


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02}:{minutes:02}:{secs:02}.{millis:03}"


def main(source: Path) -> None:
    rttm = [
        line
        for line in (source / "ES2004a.rttm").read_text().splitlines()
        if float(line.split()[3]) < SECONDS
    ]
    (HERE / "ES2004a.first5min.rttm").write_text("\n".join(rttm) + "\n")
    voice = ["WEBVTT", ""]
    zoom = ["WEBVTT", ""]
    for number, line in enumerate(rttm, start=1):
        fields = line.split()
        start, duration, speaker = float(fields[3]), float(fields[4]), fields[7]
        timing = f"{_stamp(start)} --> {_stamp(start + duration)}"
        voice += [str(number), timing, f"<v {speaker}>(speech)</v>", ""]
        zoom += [str(number), timing, f"{speaker}: (speech)", ""]
    (HERE / "ES2004a.first5min.vtt").write_text("\n".join(voice))
    # Zoom's export as Windows tools write it: a byte-order mark and CRLF line endings.
    (HERE / "ES2004a.first5min.zoom.vtt").write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(zoom).encode("utf-8")
    )
    teams_vtt(rttm)
    teams_cues_docx(rttm)
    data = json.loads((source / "ES2004a.turns.json").read_text())
    turns = data["turns"][:TURNS]
    (HERE / "ES2004a.first60.turns.json").write_text(
        json.dumps({"meeting": "ES2004a", "turns": turns}, indent=1, ensure_ascii=False) + "\n"
    )
    plain = [f"{turn['speaker']}: {turn['content']}" for turn in turns]
    (HERE / "ES2004a.first60.txt").write_text("\n".join(plain) + "\n")
    otter_txt(turns)
    teams_headings_docx(turns)


def teams_vtt(rttm: list[str]) -> None:
    """Teams' VTT: each cue id a meeting GUID with /n-m, voices closed with </v>, and a long
    segment split into cues of TEAMS_CUE seconds, as Teams writes them."""
    meeting = uuid.UUID(int=2004)  # fixed, so the file does not change between runs
    lines = ["WEBVTT", ""]
    for number, line in enumerate(rttm):
        fields = line.split()
        start, end, speaker = float(fields[3]), float(fields[3]) + float(fields[4]), fields[7]
        part = 0
        while True:
            stop = min(end, start + TEAMS_CUE)
            lines += [
                f"{meeting}/{number}-{part}",
                f"{_stamp(start)} --> {_stamp(stop)}",
                f"<v {speaker}>(speech)</v>",
                "",
            ]
            part += 1
            start = stop
            if stop >= end:
                break
    (HERE / "ES2004a.first5min.teams.vtt").write_text("\n".join(lines))


def teams_cues_docx(rttm: list[str]) -> None:
    """Classic Teams' DOCX: a paragraph with the cue's time, one with the name, one with the
    speech, below the meeting's title."""
    document = Document()
    document.add_paragraph("ES2004a design meeting")
    for line in rttm:
        fields = line.split()
        start, duration, speaker = float(fields[3]), float(fields[4]), fields[7]
        document.add_paragraph(f"{teams_stamp(start)} --> {teams_stamp(start + duration)}")
        document.add_paragraph(speaker)
        document.add_paragraph("(speech)")
    document.core_properties.author = "Coprod tests"
    document.save(str(HERE / "ES2004a.first5min.teams-cues.docx"))


def teams_headings_docx(turns: list[dict[str, str]]) -> None:
    """Teams' DOCX since 2022: the title, date and length, "started transcription", then for each
    turn one paragraph: "Name   0:03", a line break, and the speech."""
    document = Document()
    document.add_paragraph("ES2004a design meeting-20050101_100000-Meeting Recording")
    document.add_paragraph("January 1, 2005, 10:00AM")
    document.add_paragraph("17m 29s")
    document.add_paragraph(f"{turns[0]['speaker']} started transcription")
    for turn, start in zip(turns, starts(turns), strict=True):
        paragraph = document.add_paragraph(f"{turn['speaker']}   {clock(start)}")
        paragraph.add_run().add_break()
        paragraph.add_run(turn["content"])
    document.core_properties.author = "Coprod tests"
    document.save(str(HERE / "ES2004a.first60.teams.docx"))


def otter_txt(turns: list[dict[str, str]]) -> None:
    """Otter's TXT: "Name  0:03", the speech on the next line, a blank line, Otter's footer."""
    blocks = [
        f"{turn['speaker']}  {clock(start)}\n{turn['content']}\n"
        for turn, start in zip(turns, starts(turns), strict=True)
    ]
    text = "\n".join(blocks) + "\n\nTranscribed by https://otter.ai\n"
    (HERE / "ES2004a.first60.otter.txt").write_text(text)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/meetings/ami"))
