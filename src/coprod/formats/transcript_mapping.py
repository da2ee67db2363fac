"""The speaker mapping file: transcript names a person has confirmed, kept between meetings.

A small CSV that opens in a spreadsheet, with the header ``transcript_name,roster_name,confirmed,
note``:

- ``transcript_name``: the name as the meeting tool showed it ("Dr. Ann Lee (she/her)");
- ``roster_name``: the roster's name for that person, or empty for someone not on the roster;
- ``confirmed``: ``yes`` once a person has checked the line (also ``y``, ``true``, ``1``);
  ``no`` or empty until then. Only confirmed lines are applied, and before any other matching;
- ``note``: why Coprod proposed the line; Coprod does not read it.

``coprod participation --mapping FILE --save-mapping`` adds a line, unconfirmed, for each name
that needs a person's eye, and keeps every line already there as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coprod.core.participation import Roster
from coprod.core.problems import FileProblems, Problem
from coprod.core.speaker_matching import Proposal, SpeakerMapping, normalise_name
from coprod.formats.transcripts import read_utf8

COLUMNS = ("transcript_name", "roster_name", "confirmed", "note")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class MappingRow:
    transcript_name: str
    roster_name: str
    confirmed: bool
    note: str = ""
    line: int | None = None  # where it was read, to name it in a problem


def read_mapping(
    path: Path, roster: Roster | None = None
) -> tuple[SpeakerMapping, list[MappingRow]]:
    """The confirmed mapping, and every row as written. A missing file is an empty mapping."""
    name = str(path)
    if not path.exists():
        return SpeakerMapping(), []
    text = read_utf8(path)
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().casefold() for f in reader.fieldnames or []}
    if not {"transcript_name", "roster_name", "confirmed"} <= fields:
        raise FileProblems(
            [Problem(name, 1, 1, "", f"expected a header row with columns {','.join(COLUMNS)}")]
        )
    problems: list[Problem] = []
    rows: list[MappingRow] = []
    for raw in reader:
        row = _row(raw, name, reader.line_num, roster, problems)
        if row is not None:
            rows.append(row)
    mapping = SpeakerMapping()
    answers: dict[str, tuple[str | None, int | None]] = {}
    for row in rows:
        if not row.confirmed:
            continue
        answer = row.roster_name or None
        key = normalise_name(row.transcript_name)
        if key in answers and answers[key][0] != answer:
            problems.append(
                Problem(
                    name,
                    row.line,
                    None,
                    "transcript_name",
                    f"{row.transcript_name!r} is confirmed twice with different answers "
                    f"(see line {answers[key][1]})",
                )
            )
        answers.setdefault(key, (answer, row.line))
        mapping = mapping.confirm(row.transcript_name, answer)
    if problems:
        raise FileProblems(problems)
    return mapping, rows


def _row(
    raw: dict[str | None, str | None],
    name: str,
    line: int,
    roster: Roster | None,
    problems: list[Problem],
) -> MappingRow | None:
    values = {str(k).strip().casefold(): (v or "").strip() for k, v in raw.items() if k}
    transcript_name = " ".join(values.get("transcript_name", "").split())
    roster_name = " ".join(values.get("roster_name", "").split())
    confirmed = values.get("confirmed", "").casefold()
    if not transcript_name:
        problems.append(Problem(name, line, None, "transcript_name", "expected a name"))
        return None
    if confirmed not in _YES | _NO:
        problems.append(
            Problem(name, line, None, "confirmed", f"expected yes or no, found {confirmed!r}")
        )
        return None
    is_confirmed = confirmed in _YES
    if is_confirmed and roster_name and roster is not None and roster.by_name(roster_name) is None:
        problems.append(
            Problem(
                name,
                line,
                None,
                "roster_name",
                f"{roster_name!r} is not on the roster: write a roster name exactly, "
                "or leave it empty for someone not on the roster",
            )
        )
        return None
    return MappingRow(transcript_name, roster_name, is_confirmed, values.get("note", ""), line)


def add_proposals(rows: list[MappingRow], proposals: Iterable[Proposal]) -> list[MappingRow]:
    """``rows`` with a new unconfirmed row for each proposal whose name has no row yet."""
    result = list(rows)
    seen = {normalise_name(r.transcript_name) for r in rows}
    for proposal in proposals:
        key = normalise_name(proposal.transcript_name)
        if key in seen:
            continue
        seen.add(key)
        result.append(
            MappingRow(proposal.transcript_name, proposal.roster_name or "", False, proposal.note)
        )
    return result


def mapping_csv(rows: Iterable[MappingRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [row.transcript_name, row.roster_name, "yes" if row.confirmed else "no", row.note]
        )
    return out.getvalue()


def write_mapping(path: Path, rows: Iterable[MappingRow]) -> None:
    """Write the mapping file whole, through a temporary file so a failure leaves the old one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(mapping_csv(rows), encoding="utf-8")
    temporary.replace(path)
