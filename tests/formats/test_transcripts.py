"""Reading transcripts: WebVTT voices, Zoom, plain lines, CSV and JSON, and malformed files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from coprod.core.ids import Group
from coprod.core.problems import FileProblems
from coprod.formats.transcripts import (
    TranscriptFormat,
    detect_format,
    parse_transcript,
    read_roster,
    read_transcript,
)

VOICES = """\
WEBVTT
Kind: captions

NOTE made by hand

1
00:00:01.000 --> 00:00:04.000 align:start
<v Ann>Hello there</v> <v Bob>Hi Ann

2
01:59:59.500 --> 02:00:01.000
- <v.loud Bob>Still me.
- <v Cy>No, me.

3
100:00:00.000 --> 100:00:02.000
<v.a.b Cy>past a hundred hours
"""


def test_webvtt_voices_split_and_merge() -> None:
    turns = parse_transcript(VOICES, "m.vtt")
    assert [(t.speaker, t.text) for t in turns] == [
        ("Ann", "Hello there"),
        ("Bob", "Hi Ann Still me."),
        ("Cy", "No, me. past a hundred hours"),
    ]
    # The first cue's three seconds are shared by words: Ann 2, Bob 2.
    assert turns[0].start == 1 and turns[0].end == Fraction(5, 2)
    assert turns[1].seconds == Fraction(3, 2) + Fraction(3, 4)
    assert turns[2].end == 360_002
    assert turns[0].line == 7


def test_zoom_vtt_with_bom_crlf_and_blank_speaker() -> None:
    text = "\ufeffWEBVTT\r\n\r\n1\r\n00:00:00.000 --> 00:00:02.000\r\nAnn Lee: hi all\r\n\r\n"
    text += "2\r\n00:00:01.500 --> 00:00:03.000\r\nAnn Lee: overlapping\r\n\r\n"
    text += "3\r\n00:00:03.000 --> 00:00:04.000\r\nno name here\r\n"
    turns = parse_transcript(text, "zoom.vtt")
    assert [(t.speaker, t.text) for t in turns] == [
        ("Ann Lee", "hi all overlapping"),
        (None, "no name here"),
    ]
    assert turns[0].seconds == 3  # 0–2 and 1.5–3 overlap; counted once


def test_plain_lines_and_continuations() -> None:
    turns = parse_transcript("Ann: one\ncontinued here\n\n: blank\nBob:  two\n", "x.txt")
    assert [(t.speaker, t.text, t.line) for t in turns] == [
        ("Ann", "one continued here", 1),
        (None, "blank", 4),
        ("Bob", "two", 5),
    ]
    assert turns[0].start is None


def test_csv_and_json_turns() -> None:
    csv_text = "speaker,start,end,text\nAnn,0,1.5,hello\nAnn,1.5,01:00:00,again\nBob,,,hi\n"
    turns = parse_transcript(csv_text, "t.csv")
    assert [(t.speaker, t.text) for t in turns] == [("Ann", "hello again"), ("Bob", "hi")]
    assert turns[0].end == 3600
    json_text = (
        '[{"speaker": "Ann", "start": 0, "end": 2.25, "text": "hi"}, {"speaker": "", "text": "x"}]'
    )
    turns = parse_transcript(json_text, "t.json")
    assert turns[0].end == Fraction(9, 4) and turns[1].speaker is None


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("WEBVTT\n", "a.txt", TranscriptFormat.vtt),
        ('{"turns": []}', "a", TranscriptFormat.json),
        ("speaker,start,end,text\n", "a", TranscriptFormat.csv),
        ("Ann: hi", "a.txt", TranscriptFormat.plain),
        ("speaker,text\n", "a.csv", TranscriptFormat.csv),
    ],
)
def test_detection(text: str, name: str, expected: TranscriptFormat) -> None:
    assert detect_format(text, name) is expected


@pytest.mark.parametrize(
    ("text", "name", "line", "words"),
    [
        ("WEBVTT\n\n1\n00:00:01.000 -> 00:00:02.000\n<v A>x\n", "a.vtt", 3, "cue timing line"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:00.500\n<v A>x\n", "a.vtt", 3, "end after"),
        ("WEBVTT\n\n00:00:01.000 --> 00:01:99.000\nA: x\n", "a.vtt", 3, "cue timing line"),
        ("Hello\nAnn: x\n", "a.txt", 1, "Name: what they said"),
        ("speaker,start,end,text\nA,zero,1,x\n", "a.csv", 2, "seconds or h:mm:ss"),
        ("name,words\nA,x\n", "a.csv", 1, "speaker,start,end,text"),
        ('[{"speaker": "A",\n "text": }]', "a.json", 2, "not valid JSON"),
        ("VTT\n", "a.vtt", 1, "WEBVTT"),
    ],
)
def test_malformed_files_say_where_and_what(text: str, name: str, line: int, words: str) -> None:
    with pytest.raises(FileProblems) as caught:
        parse_transcript(text, name)
    problem = caught.value.problems[0]
    assert problem.line == line
    assert words in problem.message


def test_json_problems_name_the_turn() -> None:
    with pytest.raises(FileProblems) as caught:
        parse_transcript('{"turns": [{"speaker": "A", "text": "x", "end": -1}, 3]}', "a.json")
    assert [p.path for p in caught.value.problems] == ["turns[0].end", "turns[1]"]


def test_read_transcript_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Ann: caf\xe9\n")
    with pytest.raises(FileProblems, match="not UTF-8"):
        read_transcript(path)


def test_roster(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("name,group,aliases\nAnn Lee,patients_public,Ann; A. Lee\nBob,,\n")
    roster = read_roster(path)
    assert roster.people[0].group is Group.PATIENTS_PUBLIC
    assert roster.people[0].aliases == ("Ann", "A. Lee")
    assert roster.match("  a.  lee") == roster.people[0]
    path.write_text("name,group\nAnn,patients\n")
    with pytest.raises(FileProblems, match="expected one of patients_public"):
        read_roster(path)
