"""Documents of the contribution ledger and its agreements: "you said, we did", terms, decisions.

- :func:`you_said_we_did_docx` and :func:`you_said_we_did_pdf` render a
  :class:`~coprod.core.contributions.YouSaidWeDid` report for a contributor or a project.
- :func:`terms_docx` renders a partner's :class:`~coprod.core.terms.TermsOfReference`, with the
  parts still to agree and why each matters.
- :func:`decision_log_docx` renders the decision log, one
  :class:`~coprod.core.decisions.Decision` after another.

Every document is built for people who use screen readers or read on paper: real Word heading
styles (Heading 1, Heading 2), tables with a header row that repeats on each page, plain words,
and the paper's source line wherever a rule is applied. The PDF uses DejaVu Sans, which matplotlib
ships, because fpdf2's built-in fonts hold Latin-1 only and names such as "Zoë Ó Briain" or
"Łukasz" must survive; it is tagged with a title and a language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coprod.core.contributions import Said, YouSaidWeDid
from coprod.core.decisions import Decision, decision_source
from coprod.core.sources import Source
from coprod.core.terms import TermsOfReference, terms_gaps

__all__ = [
    "decision_log_docx",
    "source_line",
    "terms_docx",
    "you_said_we_did_docx",
    "you_said_we_did_pdf",
]

# Characters XML 1.0 cannot hold; python-docx refuses them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TO_AGREE = "To be agreed."

KIND_WORDS = {
    "idea": "Idea",
    "question": "Question",
    "concern": "Concern",
    "evidence": "Evidence",
    "interpretation": "Interpretation",
    "recommendation": "Recommendation",
}


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _day(date: dt.date | None) -> str:
    return "" if date is None else f"{date.day} {date:%B %Y}"


def source_line(source: Source) -> str:
    """'Source: Oliver, Kothari & Mays 2019, Table 1: “…”.' for the foot of a document."""
    from coprod.core.catalogue import default_catalogue

    documents = default_catalogue().documents
    name = documents[source.document].short if source.document in documents else source.document
    quote = f": “{' '.join(source.quote.split())}”" if source.quote else ""
    return f"Source: {name}, {source.locator}{quote}."


def _stage_label(item: Said) -> str:
    if item.stage is None:
        return ""
    from coprod.core.catalogue import default_catalogue

    return default_catalogue().stages[item.stage].label


def _where(item: Said) -> str:
    parts = [_day(item.made_on), item.activity or "", _stage_label(item)]
    return ", ".join(part for part in parts if part)


def _what_we_did(item: Said) -> str:
    parts = []
    if item.changed:
        parts.append(f"What it changed: {item.changed}")
    if item.reason:
        parts.append(f"Why: {item.reason}")
    return "\n".join(parts) or "No reason recorded yet."


# --- DOCX -------------------------------------------------------------------------------------


def _new_document(title: str) -> Any:
    from docx import Document

    document = Document()
    document.core_properties.title = _clean(title)
    document.core_properties.language = "en-GB"
    return document


def _bytes(document: Any) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as its header: screen readers announce it, pages repeat it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _set_cell(cell: Any, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    lines = _clean(text).split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.add_run(line).bold = bold


def _table(document: Any, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Any:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _set_cell(cell, header, bold=True)
    _repeat_header(table.rows[0])
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _set_cell(cell, value)
    return table


def _source_paragraph(document: Any, source: Source, lead: str = "") -> None:
    paragraph = document.add_paragraph()
    if lead:
        paragraph.add_run(_clean(lead) + " ").bold = True
    paragraph.add_run(_clean(source_line(source))).italic = True


def you_said_we_did_docx(report: YouSaidWeDid) -> bytes:
    """The report as a Word document: a section per outcome, each a table of what was said."""
    title = report.title  # the caller's full title, translated as it chooses
    document = _new_document(title)
    document.add_heading(_clean(title), level=1)
    if report.for_whom:
        document.add_paragraph(_clean(f"For {report.for_whom}"))
    document.add_paragraph(_clean(report.summary))
    with_names = any(item.by for section in report.sections for item in section.items)
    headers = ["You said", "When and where", "What we did", "You were told"]
    if with_names:
        headers = ["Who", "What was said", "When and where", "What we did", "Told on"]
    for section in report.sections:
        document.add_heading(_clean(f"{section.heading} ({section.count})"), level=2)
        document.add_paragraph(_clean(section.intro))
        rows = []
        for item in section.items:
            said = f"{KIND_WORDS[item.kind.value]}: {item.text}"
            row = [said, _where(item), _what_we_did(item), _day(item.told_on) or "Not yet"]
            rows.append([item.by or "Anonymous", *row] if with_names else row)
        _table(document, headers, rows)
    document.add_heading("Why we report this", level=2)
    document.add_paragraph(
        "Research that asks for people's views owes them an account of what became of them."
    )
    _source_paragraph(document, report.source)
    return _bytes(document)


def terms_docx(terms: TermsOfReference, *, project_title: str) -> bytes:
    """A partner's terms of reference: each part under its heading, then what is left to agree."""
    title = f"Terms of reference: {terms.person}"
    document = _new_document(title)
    document.add_heading(_clean(title), level=1)
    document.add_paragraph(_clean(f"Project: {project_title}"))
    document.add_paragraph(
        "These terms set out what we ask of you, what you can expect from us, and how either of "
        "us can change them. They are an agreement, not a contract of employment."
    )
    for _part, heading, text in terms.parts():
        document.add_heading(_clean(heading), level=2)
        document.add_paragraph(_clean(text or TO_AGREE))
    gaps = terms_gaps(terms)
    if gaps:
        document.add_heading("Still to agree", level=2)
        _table(
            document,
            ["Part", "Why it matters", "Source"],
            [[gap.label, gap.why, source_line(gap.source)] for gap in gaps],
        )
    document.add_heading("Why we agree these terms", level=2)
    from coprod.core.catalogue import default_catalogue

    _source_paragraph(document, default_catalogue().rules["terms-disagreements"].also[0])
    return _bytes(document)


def _took_part(decision: Decision) -> str:
    if decision.participants:
        return ", ".join(decision.participants)
    if decision.participant_count:
        return f"{decision.participant_count} people"
    return "Not recorded"


def decision_log_docx(decisions: Sequence[Decision], *, project_title: str) -> bytes:
    """The decision log: a summary table, then each decision with who took part and any dissent."""
    title = f"Decision log: {project_title}"
    document = _new_document(title)
    document.add_heading(_clean(title), level=1)
    source, also = decision_source()
    document.add_paragraph(
        "Each decision records how it was taken, who took part, any dissent, the contributions it "
        "answered and when it will be reviewed."
    )
    _source_paragraph(document, source)
    ordered = sorted(decisions, key=lambda d: d.decided_on)
    if not ordered:
        document.add_paragraph("No decisions are recorded yet.")
        return _bytes(document)
    _table(
        document,
        ["Date", "What was decided", "How", "Review by"],
        [[_day(d.decided_on), d.what, d.how(), _day(d.review_on) or "No date"] for d in ordered],
    )
    for decision in ordered:
        document.add_heading(_clean(f"{_day(decision.decided_on)}: {decision.what}"), level=2)
        answered = "\n".join(f"• {text}" for text in decision.answers) or "None recorded"
        _table(
            document,
            ["Item", "Record"],
            [
                ["How it was decided", decision.how()],
                ["Who took part", _took_part(decision)],
                ["Dissent", decision.dissent or "None recorded"],
                ["Contributions it answered", answered],
                ["Review by", _day(decision.review_on) or "No date set"],
            ],
        )
        problems = decision.problems()
        if problems:
            document.add_paragraph("Gaps in this record:")
            for _field, message in problems:
                document.add_paragraph(_clean(message), style="List Bullet")
    for extra in also:
        _source_paragraph(document, extra)
    return _bytes(document)


# --- PDF --------------------------------------------------------------------------------------


def _font_paths() -> tuple[Path, Path]:
    # matplotlib ships DejaVu; importing matplotlib itself does not load pyplot or a backend.
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def you_said_we_did_pdf(report: YouSaidWeDid, *, compress: bool = True) -> bytes:
    """The report as a PDF, one block per contribution. ``compress=False`` leaves text readable."""
    from fpdf import FPDF

    regular, bold = _font_paths()
    pdf = FPDF(format="A4")
    pdf.compress = compress
    pdf.set_title(report.title)
    pdf.set_lang("en-GB")
    pdf.set_creator("Coprod")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw

    def text(body: str, *, size: float = 11, style: str = "", gap: float = 2) -> None:
        pdf.set_font("DejaVu", style, size)
        # Ragged right, never justified: uneven gaps between words are harder to read.
        pdf.multi_cell(width, size * 0.5, body, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    text(report.title, size=18, style="B", gap=3)
    if report.for_whom:
        text(f"For {report.for_whom}")
    text(report.summary, gap=5)
    for section in report.sections:
        text(f"{section.heading} ({section.count})", size=14, style="B")
        text(section.intro, gap=3)
        for item in section.items:
            who = f"{item.by}: " if item.by else ""
            text(f"{who}{KIND_WORDS[item.kind.value]}: {item.text}", style="B", gap=1)
            text(_where(item), size=10, gap=1)
            text(_what_we_did(item), gap=1)
            told = _day(item.told_on)
            text(f"Told on {told}." if told else "Not told yet.", size=10, gap=4)
    text("Why we report this", size=14, style="B")
    text(source_line(report.source), size=10)
    return bytes(pdf.output())
