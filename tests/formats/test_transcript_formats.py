"""Teams VTT and DOCX, Otter TXT, strict plain text, format detection, and the mapping file."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document

from coprod.core.participation import Roster, RosterPerson
from coprod.core.problems import FileProblems
from coprod.core.speaker_matching import Proposal
from coprod.formats.transcript_mapping import (
    MappingRow,
    add_proposals,
    read_mapping,
    write_mapping,
)
from coprod.formats.transcripts import (
    TranscriptFormat,
    detect_format,
    name_like,
    parse_transcript,
    read_transcript,
)

TEAMS_VTT = """\
WEBVTT

3f2a9c1e-4b7d-4e2a-9f1c-2d8e5a7b6c3d/17-0
00:00:03.450 --> 00:00:05.000
<v Lee, Ann (Guest)>Hello everyone, thanks for coming.</v>

3f2a9c1e-4b7d-4e2a-9f1c-2d8e5a7b6c3d/17-1
00:00:05.000 --> 00:00:07.250
<v Lee, Ann (Guest)>Shall we start?</v>

3f2a9c1e-4b7d-4e2a-9f1c-2d8e5a7b6c3d/18-0
01:00:07.500 --> 01:00:09.000
<v Bilal Khan>Yes, please.</v>
"""


def test_teams_vtt_cue_ids_and_closed_voices() -> None:
    turns = parse_transcript(TEAMS_VTT, "teams.vtt")
    assert [(t.speaker, t.words, t.seconds) for t in turns] == [
        ("Lee, Ann (Guest)", 8, Fraction("3.8")),
        ("Bilal Khan", 2, Fraction("1.5")),
    ]


def _docx(tmp_path: Path, paragraphs: list[str], name: str = "meeting.docx") -> Path:
    document = Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for i, line in enumerate(text.split("\n")):
            if i:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    path = tmp_path / name
    document.save(str(path))
    return path


def test_teams_docx_headings_with_line_breaks(tmp_path: Path) -> None:
    path = _docx(
        tmp_path,
        [
            "Steering group-20260105_100000-Meeting Recording",
            "January 5, 2026, 10:00AM",
            "1h 2m 5s",
            "Ann Lee started transcription",
            "Ann Lee   0:03\nWelcome, everyone.",
            "Bilal Khan   0:13\nThank you.\nTwo paragraphs of mine.",
            "Ann Lee\t1:00:13\nStill here after an hour.",
            "Ann Lee stopped transcription",
        ],
    )
    turns = read_transcript(path)
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("Ann Lee", "Welcome, everyone.", 3, 13),
        ("Bilal Khan", "Thank you. Two paragraphs of mine.", 13, 3613),
        # The last turn lasts its words at the pace of the turns before: 3610 s for 8 words.
        ("Ann Lee", "Still here after an hour.", 3613, 3613 + Fraction(3610, 8) * 5),
    ]
    assert turns[1].line == 6  # the paragraph


def test_teams_docx_classic_cues_in_separate_paragraphs(tmp_path: Path) -> None:
    path = _docx(
        tmp_path,
        [
            "Steering group",
            "0:0:0.0 --> 0:0:5.430",
            "Ann Lee",
            "Good morning.",
            "0:0:5.430 --> 0:0:9.120",
            "Ann Lee",
            "Let us begin.",
            "1:2:3.5 --> 1:2:4.5",
            "<v Bilal Khan>Agreed.</v>",
        ],
    )
    turns = read_transcript(path, keep_text=False)
    assert [(t.speaker, t.words, t.seconds, t.text) for t in turns] == [
        ("Ann Lee", 5, Fraction("9.12"), ""),
        ("Bilal Khan", 1, 1, ""),
    ]


@pytest.mark.parametrize(
    ("paragraphs", "where", "words"),
    [
        (["Minutes of the meeting", "Nothing here is a transcript"], "paragraph 1", "Name   0:03"),
        (["0:0:9.0 --> 0:0:3.0", "Ann", "x"], "paragraph 1", "ends after it starts"),
        (["Ann   0:30\nx", "Bob   0:10\ny"], "paragraph 2", "times in order"),
    ],
)
def test_malformed_teams_docx_names_the_paragraph(
    tmp_path: Path, paragraphs: list[str], where: str, words: str
) -> None:
    with pytest.raises(FileProblems) as caught:
        read_transcript(_docx(tmp_path, paragraphs))
    assert caught.value.problems[0].path == where
    assert words in caught.value.problems[0].message


def test_a_damaged_docx_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblems, match="not a Word document"):
        read_transcript(path)


OTTER = """\
Speaker 1  0:00
Hello, and welcome.

Ann Lee  0:04
Thanks. I have two
lines here.

Speaker 1  1:02:08
Right.


Transcribed by https://otter.ai
"""


def test_otter_headings_paragraphs_and_footer() -> None:
    turns = parse_transcript(OTTER, "meeting.txt")
    assert [(t.speaker, t.text, t.start, t.end) for t in turns] == [
        ("Speaker 1", "Hello, and welcome.", 0, 4),
        ("Ann Lee", "Thanks. I have two lines here.", 4, 3728),
        ("Speaker 1", "Right.", 3728, 3728 + Fraction(3728, 9)),
    ]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Hello there\nAnn  0:01\nx\n", 1, "Name  0:00"),
        ("Ann  0:10\nx\n\nBob  0:05\ny\n", 4, "times in order"),
    ],
)
def test_malformed_otter_says_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(FileProblems) as caught:
        parse_transcript(text, "m.txt", TranscriptFormat.otter)
    assert caught.value.problems[0].line == line
    assert words in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Ann Lee  0:03\nHello\n", "a.txt", TranscriptFormat.otter),
        ("Ann Lee: hello\n", "a.txt", TranscriptFormat.plain),
        ("anything", "a.docx", TranscriptFormat.teams_docx),
        ("WEBVTT\n\nid/1-0\n", "teams.txt", TranscriptFormat.vtt),
    ],
)
def test_detection_of_the_new_formats(text: str, name: str, expected: TranscriptFormat) -> None:
    assert detect_format(text, name) is expected


def test_a_docx_is_known_by_its_bytes_whatever_its_name(tmp_path: Path) -> None:
    path = _docx(tmp_path, ["Ann   0:01\nHi", "Bob   0:02\nHello"], name="transcript.bin")
    assert [t.speaker for t in read_transcript(path)] == ["Ann", "Bob"]


@pytest.mark.parametrize(
    ("label", "line", "expected"),
    [
        ("Ann Lee", "Ann Lee: hi", True),
        ("Dr Ann Lee (she/her)", "", True),
        ("Note", "", False),
        ("ACTION", "", False),
        ("Next steps", "", False),
        ("10", "10:30 coffee", False),
        ("https", "https://example.org", False),
        ("Chair", "Chair: welcome", True),
        ("See the minutes of the last meeting for", "", False),
    ],
)
def test_name_like(label: str, line: str, expected: bool) -> None:
    assert name_like(label, line) is expected


STRICT = """\
Ann: Welcome. The agenda is short.
Note: the slides are on the shared drive.
Bob: Thanks.
Action: Bob to send the figures.
See https://example.org/report for the report.
Ann: Next item at 10:30: coffee.
Bob: Fine.
Carol Jones: I joined late.
"""


def test_plain_text_reads_only_repeated_or_known_names_as_speakers() -> None:
    turns = parse_transcript(STRICT, "notes.txt")
    assert [t.speaker for t in turns] == ["Ann", "Bob", "Ann", "Bob"]
    assert turns[0].text.endswith("Note: the slides are on the shared drive.")
    assert "Action: Bob to send the figures." in turns[1].text
    assert turns[2].text == "Next item at 10:30: coffee."
    assert turns[3].text == "Fine. Carol Jones: I joined late."
    roster = Roster((RosterPerson("Carol Jones"),))
    known = parse_transcript(STRICT, "notes.txt", known=lambda n: roster.match(n) is not None)
    assert [t.speaker for t in known][-1] == "Carol Jones"


def test_a_refused_label_on_the_first_line_says_why() -> None:
    with pytest.raises(FileProblems) as caught:
        parse_transcript("Agenda: budget\nAnn: hi\nAnn: again\n", "n.txt")
    assert caught.value.problems[0].line == 1
    assert "'Agenda' is not read as a speaker's name" in caught.value.problems[0].message


ROSTER = Roster((RosterPerson("Ann Lee"), RosterPerson("Bilal Khan")))


def test_mapping_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    rows = add_proposals(
        [MappingRow("Dr A. Lee", "Ann Lee", True, "checked by hand")],
        [
            Proposal("dr a.  lee", "Ann Lee", "already there"),
            Proposal("Guest 3", None, "nobody close on the roster"),
        ],
    )
    write_mapping(path, rows)
    assert path.read_text().splitlines() == [
        "transcript_name,roster_name,confirmed,note",
        "Dr A. Lee,Ann Lee,yes,checked by hand",
        "Guest 3,,no,nobody close on the roster",
    ]
    path.write_text(path.read_text().replace("Guest 3,,no", "Guest 3,,yes"))
    mapping, read = read_mapping(path, ROSTER)
    assert mapping.get("DR A. LEE") == (True, "Ann Lee")
    assert mapping.get("guest 3") == (True, None)
    assert mapping.get("Bilal") == (False, None)
    assert [r.line for r in read] == [2, 3]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("name,who\nA,B\n", 1, "transcript_name,roster_name,confirmed,note"),
        ("transcript_name,roster_name,confirmed\nA,Ann Lee,maybe\n", 2, "expected yes or no"),
        ("transcript_name,roster_name,confirmed\nA,Ann Leigh,yes\n", 2, "not on the roster"),
        (
            "transcript_name,roster_name,confirmed\nA,Ann Lee,yes\nB,,no\na,Bilal Khan,yes\n",
            4,
            "confirmed twice",
        ),
    ],
)
def test_mapping_problems_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text(text)
    with pytest.raises(FileProblems) as caught:
        read_mapping(path, ROSTER)
    assert caught.value.problems[0].line == line
    assert words in caught.value.problems[0].message
