"""Ledger documents: "you said, we did" in DOCX and PDF, terms of reference, the decision log."""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document

from coprod.core.contributions import ContributionKind, Said, you_said_we_did
from coprod.core.decisions import Decision, DecisionMethod
from coprod.core.ids import Disposition, Stage
from coprod.core.terms import TermsOfReference
from coprod.formats.ledger_reports import (
    decision_log_docx,
    source_line,
    terms_docx,
    you_said_we_did_docx,
    you_said_we_did_pdf,
)

NAME = "Zoë Ó Briain"


def _said(text: str, disposition: Disposition, *, by: str | None = None) -> Said:
    return Said(
        text=text,
        kind=ContributionKind.CONCERN,
        made_on=dt.date(2026, 3, 4),
        activity="Advisory group, March",
        stage=Stage.QUESTIONS,
        disposition=disposition,
        reason="It fits the question we were funded to answer",
        changed="The interview guide asks about night-time falls"
        if disposition.value.startswith("ad")
        else None,
        told_on=dt.date(2026, 3, 20) if disposition is Disposition.ADOPTED else None,
        by=by,
    )


REPORT = you_said_we_did(
    [
        _said("Ask about falls at night, when nobody is around", Disposition.ADOPTED),
        _said("Pay for taxis to the sessions – café venue is too far", Disposition.DEFERRED),
        _said("Include care homes", Disposition.OUT_OF_SCOPE),
    ],
    title="You said, we did: Steady Steps",
    for_whom=NAME,
)


def _docx(data: bytes) -> object:
    return Document(io.BytesIO(data))


def _all_text(document: object) -> str:
    parts = [p.text for p in document.paragraphs]  # type: ignore[attr-defined]
    for table in document.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _has_header_row(table: object) -> bool:
    return b"tblHeader" in table.rows[0]._tr.xml.encode()  # type: ignore[attr-defined]


def test_you_said_we_did_docx_has_headings_tables_and_source() -> None:
    document = _docx(you_said_we_did_docx(REPORT))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", "You said, we did: Steady Steps")
    assert ("Heading 2", "What we did with it (1)") in headings
    assert ("Heading 2", "Kept for later (1)") in headings
    assert ("Heading 2", "Outside what this project can do (1)") in headings
    text = _all_text(document)
    assert f"For {NAME}" in text
    assert "café" in text and "–" in text
    assert "night-time falls" in text
    assert "cherry-picked" in text
    assert len(document.tables) == 3
    assert all(_has_header_row(table) for table in document.tables)
    assert document.tables[0].rows[0].cells[0].text == "You said"
    assert document.core_properties.title == "You said, we did: Steady Steps"


def test_project_report_names_who_said_it_or_anonymous() -> None:
    report = you_said_we_did(
        [_said("A", Disposition.ADOPTED, by=NAME), _said("B", Disposition.DECLINED)],
        title="Steady Steps",
        for_whom=None,
    )
    document = _docx(you_said_we_did_docx(report))
    assert document.tables[0].rows[0].cells[0].text == "Who"
    text = _all_text(document)
    assert NAME in text and "Anonymous" in text


def _object(data: bytes, number: int) -> bytes:
    match = re.search(rb"(?<![0-9])%d 0 obj(.*?)endobj" % number, data, re.S)
    assert match, number
    return match.group(1)


ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    """A PDF literal string's bytes, with backslash escapes and octal codes undone."""
    out = bytearray()
    index = 0
    while index < len(literal):
        if literal[index] != 0x5C:
            out.append(literal[index])
            index += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", literal[index + 1 : index + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            index += 1 + len(octal.group(0))
        else:
            following = literal[index + 1 : index + 2]
            out.extend(ESCAPES.get(following, following))
            index += 2
    return bytes(out)


def _font_maps(data: bytes) -> dict[bytes, dict[int, str]]:
    maps: dict[bytes, dict[int, str]] = {}
    fonts = re.search(rb"/Font\s*<<(.*?)>>", data, re.S)
    assert fonts
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", fonts.group(1)):
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", _object(data, int(number)))
        assert to_unicode
        cmap = _object(data, int(to_unicode.group(1)))
        pairs = re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4,8})>", cmap)
        maps[name] = {int(glyph, 16): chr(int(code, 16)) for glyph, code in pairs}
    return maps


def _pdf_text(data: bytes) -> str:
    """The text of an uncompressed fpdf2 PDF, decoded through each font's ToUnicode map.

    fpdf2 writes text set in an embedded TrueType font as two-byte glyph ids, so the words are not
    in the file as they read; this follows the fonts to their maps, as a PDF reader does.
    """
    maps = _font_maps(data)
    words = []
    current: dict[int, str] = {}
    operators = re.compile(rb"/(F\d+) [0-9.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.S)
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        for font, literal in operators.findall(stream) if b" Tf" in stream else []:
            if font:
                current = maps[font]
                continue
            raw = _unescape(literal)
            glyphs = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
            words.append("".join(current.get(glyph, "?") for glyph in glyphs))
    return "\n".join(words)


def test_you_said_we_did_pdf_keeps_unicode_text() -> None:
    data = you_said_we_did_pdf(REPORT, compress=False)
    assert data.startswith(b"%PDF")
    assert b"DejaVu" in data
    text = _pdf_text(data)
    assert "You said, we did: Steady Steps" in text
    assert NAME in text
    assert "café" in text and "–" in text
    assert "Kept for later (1)" in text
    assert "cherry-picked" in " ".join(text.split())
    compressed = you_said_we_did_pdf(REPORT)
    assert compressed.startswith(b"%PDF") and len(compressed) < len(data)


def test_terms_docx_lists_parts_and_what_is_left_to_agree() -> None:
    terms = TermsOfReference(
        person=NAME, role="Public contributor", time="About 4 hours a month",
        payment="£27.50 an hour",
    )  # fmt: skip
    document = _docx(terms_docx(terms, project_title="Steady Steps"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == ["Your role", "Time we ask of you", "Payment and expenses"]
    assert "Still to agree" in headings
    text = _all_text(document)
    assert f"Terms of reference: {NAME}" in text
    assert "£27.50 an hour" in text and "To be agreed." in text
    assert "establishing ground rules and processes" in text
    assert all(_has_header_row(table) for table in document.tables)
    gaps = document.tables[0]
    assert [c.text for c in gaps.rows[0].cells] == ["Part", "Why it matters", "Source"]
    assert len(gaps.rows) == 1 + 5  # feedback, recognition, disagreements, leaving, review


def test_decision_log_docx() -> None:
    decisions = [
        Decision(
            what="Recruit through GP surgeries and community centres",
            decided_on=dt.date(2026, 4, 2),
            method=DecisionMethod.VOTE,
            votes_for=5, votes_against=2, votes_abstain=1,
            participants=(NAME, "Ama", "Raj", "Li", "Sam", "Jo", "Kit", "Mo"),
            dissent="Raj: community centres reach few men",
            answers=("Ask about falls at night",),
            review_on=dt.date(2026, 7, 1),
        ),
        Decision(
            what="Use plain-language summaries",
            decided_on=dt.date(2026, 3, 1),
            method=DecisionMethod.CONSENSUS,
            participant_count=9,
        ),
    ]  # fmt: skip
    document = _docx(decision_log_docx(decisions, project_title="Steady Steps"))
    text = _all_text(document)
    assert "Decision log: Steady Steps" in text
    assert "By vote: 5 for, 2 against, 1 abstained (carried)" in text
    assert NAME in text and "9 people" in text and "Raj: community centres" in text
    assert "How are decisions taken" in text
    summary = document.tables[0]
    assert [c.text for c in summary.rows[0].cells] == [
        "Date",
        "What was decided",
        "How",
        "Review by",
    ]
    # Oldest first.
    assert summary.rows[1].cells[0].text == "1 March 2026"
    assert all(_has_header_row(table) for table in document.tables)
    empty = _docx(decision_log_docx([], project_title="X"))
    assert "No decisions are recorded yet." in _all_text(empty)


def test_source_line_quotes_the_paper() -> None:
    assert source_line(REPORT.source).startswith("Source: Oliver, Kothari & Mays 2019, ")
    assert "cherry-picked" in source_line(REPORT.source)


def test_illegal_xml_characters_are_dropped() -> None:
    report = you_said_we_did([_said("bad\x00text\x1f", Disposition.ADOPTED)], title="T\x0b")
    assert "badtext" in _all_text(_docx(you_said_we_did_docx(report)))
