"""Read a table of rows from a CSV, XLSX, XLS or ODS file, as people really keep them.

``read_table(data, filename, *, sheet=None) -> Table`` is the one entry point. It never raises for
bad input: a file that cannot be read gives a ``Table`` with no rows and a plain ``problems``
entry saying why.

What it copes with:

- CSV in UTF-8, with or without a byte-order mark, or in Windows' cp1252 (what Excel saves as
  "CSV"); the delimiter (comma, semicolon or tab) is the one the first non-blank line uses most.
- XLSX, XLS and ODS through python-calamine. ``sheet`` picks a sheet by name (else the first);
  ``Table.sheets`` lists every sheet so that a page can offer a choice.
- Title rows above the header: the header is the first of the leading rows that fills at least
  half as many columns as the widest row, with at least two different labels.
- Two-row headers: a group row above the real header ("Contact details" over "Email" and
  "Phone", "Consent" over "Contact" and "Demographics"), with real merged cells (XLSX and XLS say
  which cells are merged: a merged label fills its whole range) or, where merges are lost (CSV,
  ODS), a group label followed by blank cells. Each column's header is then "Group: Label"; a label
  merged down over both rows stays as it is.
- A Qualtrics export: three header rows (short ids such as ``Q3``; the question text; then
  ``{"ImportId":"QID3"}``). The question text is used as the header where there is one, else the
  id; ``Table.ids`` keeps the short ids.
- Blank rows and blank columns are left out; every row keeps its spreadsheet row number, and
  ``Table.column_numbers`` keeps each column's place in the sheet, for messages ("row 7,
  column F").
- Limits: at most ``MAX_BYTES`` per file, ``MAX_ROWS`` data rows and ``MAX_COLUMNS`` columns;
  a sheet whose cells spread over more than ``MAX_CELLS`` is refused before it is loaded, so that
  a tiny file naming a far-away cell cannot exhaust memory (XLSX and ODS are checked; XLS cannot
  exceed 65,536 × 256 cells).
- Memory: python-calamine builds every sheet of an XLS or ODS workbook as a full grid when it opens
  it, so a file of a few kilobytes that names two cells far apart, or holds many sheets, can take
  a gigabyte. Workbooks (XLS, XLSX, ODS) are therefore read in a child process whose address space
  is capped at ``MAX_MEMORY`` bytes and whose time is capped at ``MAX_SECONDS``; a workbook that
  needs more is refused with a plain message and the calling process (a web worker) is untouched.
  Where the ``resource`` module is missing (Windows) the workbook is read in-process.
- A password-protected or damaged workbook, a file of another kind, an empty file: a plain
  message, never a traceback.

Cells hold what the spreadsheet holds: text (stripped; blank text becomes ``None``), ``int``,
``float``, ``bool``, ``datetime.date``, ``datetime.datetime``, ``datetime.time`` or
``datetime.timedelta``. In a CSV every cell is text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from coprod.core.problems import Problem
from coprod.formats._cells import Refused, column_letter, csv_rows
from coprod.formats._cells import text as cell_text

MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 500
MAX_CELLS = 2_000_000
"""The largest area (rows × columns, from A1 to the last cell used) a workbook sheet may span."""
MAX_UNCOMPRESSED = 100_000_000
MAX_MEMORY = 512 * 1024 * 1024
"""The address space (bytes) of the child process that reads a workbook. A workbook of
``MAX_ROWS`` rows and 50 columns of text needs about 120 MB (XLSX, XLS or ODS)."""
MAX_SECONDS = 60.0
"""The time the child process that reads a workbook may take."""
HEADER_SEARCH_ROWS = 20
"""The header is looked for among the first non-blank rows."""

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """A table read from a file.

    ``headers`` has one label per kept column; ``rows`` holds ``(row number, cells)`` with one
    cell per header. ``header_row`` is the spreadsheet row of the (lowest) header row, ``None``
    when nothing was read. ``column_numbers`` gives, for each kept column, its column in the
    sheet counted from 1 (blank columns are left out, so the two can differ).
    """

    filename: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[int, tuple[Value, ...]], ...] = ()
    header_row: int | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    column_numbers: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()
    """Qualtrics' short question ids (``Q3``), one per header; empty for other files."""
    layout: str = "plain"
    """``plain``, ``two_row_header`` or ``qualtrics``."""
    notes: tuple[str, ...] = field(default=())
    """Plain notes on what was done to read the file, for the preview page."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def column_letter(self, index: int) -> str:
        """The sheet's letter for kept column ``index`` (counted from 0)."""
        return column_letter(self.column_numbers[index] - 1)

    def where(self, index: int) -> str:
        """``Email (column C)``: a kept column named for a message."""
        header = self.headers[index] or "no header"
        return f"{header} (column {self.column_letter(index)})"


# --- Raw rows from each kind of file -------------------------------------------------------------


@dataclass
class _Sheet:
    rows: list[tuple[int, list[Value]]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]]
    name: str | None
    names: tuple[str, ...]


def _kind(data: bytes, filename: str) -> str:
    lower = filename.lower()
    if data.startswith(_OLE):
        return "ole"
    if data.startswith(_ZIP):
        return "zip"
    if lower.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        return "broken"
    return "csv"


def _zip_check(data: bytes) -> str:
    """Check an XLSX or ODS before calamine loads it; return "xlsx" or "ods"."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("the file is damaged: it is not a readable .xlsx or .ods workbook") from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
            raise Refused("the workbook is too large once unpacked: split it into smaller files")
        if "content.xml" in names and "mimetype" in names:
            _check_ods_area(archive)
            return "ods"
        sheets = [name for name in names if re.match(r"^xl/worksheets/[^/]+\.xml$", name)]
        if not sheets:
            raise Refused("not a spreadsheet: save it as .xlsx, .ods or CSV")
        for name in sheets:
            _check_xlsx_area(archive, name)
        return "xlsx"


_XLSX_REF = re.compile(rb'<(?:\w+:)?(?:c|row)\b[^>]*?\sr="([A-Z]{0,3})(\d+)"')


def _check_xlsx_area(archive: zipfile.ZipFile, name: str) -> None:
    max_row = max_column = 0
    tail = b""
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(1 << 20):
                block = tail + chunk
                for match in _XLSX_REF.finditer(block):
                    letters, row = match.groups()
                    max_row = max(max_row, int(row))
                    if letters:
                        number = 0
                        for letter in letters.decode("ascii"):
                            number = number * 26 + ord(letter) - 64
                        max_column = max(max_column, number)
                tail = block[-300:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused("the file is damaged: a sheet of the workbook cannot be read") from None
    _check_area(max_row, max_column)


_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>|</table:(table-row|table)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="(\d+)"')


def _check_ods_area(archive: zipfile.ZipFile) -> None:
    """Find the furthest non-empty cell of each table of an ODS, counting repeated rows and cells.

    LibreOffice writes the empty rest of a sheet as one row repeated a million times; calamine
    skips that, but a non-empty cell repeated that often would fill memory. calamine builds every
    table when it opens the file, so the tables' areas together must stay within ``MAX_CELLS``.
    """
    data = archive.read("content.xml")
    total = 0
    row = column = 0
    row_repeat = 1
    row_used = 0
    max_row = max_column = 0
    for match in _ODS_TAG.finditer(data):
        tag, attributes, empty, closing = match.groups()
        if closing == b"table":
            _check_area(max_row, max_column)
            total += max_row * max_column
            if total > MAX_CELLS:
                raise Refused(
                    f"the sheets together spread over more than {MAX_CELLS:,} cells, which is "
                    "what Coprod reads at most: copy the table into a new workbook with one sheet"
                )
            max_row = max_column = row = 0
            continue
        if closing == b"table-row":
            if row_used:
                max_row = max(max_row, row + row_repeat)
                max_column = max(max_column, row_used)
            row += row_repeat
            continue
        repeat_match = _ODS_REPEAT.search(attributes or b"")
        repeat = int(repeat_match.group(1)) if repeat_match else 1
        if tag == b"table":
            max_row = max_column = row = 0
        elif tag == b"table-row":
            row_repeat, column, row_used = repeat, 0, 0
            if empty:
                row += row_repeat
        else:
            column += repeat
            # a cell with a value type or content is not empty
            has_value = b"value-type" in (attributes or b"") or not empty
            if has_value:
                row_used = column
    _check_area(max_row, max_column)


def _check_area(rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS or columns > 16_384 or rows > 1_048_576:
        raise Refused(
            f"a sheet spreads over {rows:,} rows and {columns:,} columns; Coprod reads at most "
            f"{MAX_CELLS:,} cells: delete the unused rows and columns, or copy the table "
            "into a new sheet"
        )


def _ole_kind(data: bytes) -> str:
    """An OLE file is an old .xls workbook, or a password-protected .xlsx in its wrapper."""
    if "EncryptedPackage".encode("utf-16-le") in data or (
        "EncryptionInfo".encode("utf-16-le") in data
    ):
        return "encrypted"
    return "xls"


_TOO_BIG = (
    "the workbook needs more memory to read than Coprod allows ({limit} MB), although the file "
    "may be small: it has cells far apart or very many sheets. Copy the table into a new "
    "workbook with one sheet, or save it as CSV, and try again"
)
_TOO_SLOW = (
    "the workbook took longer than {seconds:.0f} seconds to read: copy the table into a new "
    "workbook with one sheet, or save it as CSV, and try again"
)

_CHILD = """
import pickle, resource, sys
path, limit, data, kind, sheet = pickle.load(sys.stdin.buffer)
sys.path[:0] = path
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from coprod.formats.tables import _workbook_result
sys.stdout.buffer.write(pickle.dumps(_workbook_result(data, kind, sheet)))
"""


def _workbook(data: bytes, kind: str, sheet: str | None) -> _Sheet:
    """Read a workbook in a child process capped at ``MAX_MEMORY`` and ``MAX_SECONDS``."""
    try:
        import resource  # noqa: F401  (only to learn whether limits can be set)
    except ImportError:  # pragma: no cover - Windows
        return _read_workbook(data, kind, sheet)
    import pickle
    import subprocess
    import sys

    request = pickle.dumps([list(sys.path), MAX_MEMORY, data, kind, sheet])
    try:
        child = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=request,
            capture_output=True,
            timeout=MAX_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Refused(_TOO_SLOW.format(seconds=MAX_SECONDS)) from None
    if child.returncode != 0 or not child.stdout:
        # Out of memory in Rust aborts the child; in Python it says MemoryError.
        raise Refused(_TOO_BIG.format(limit=MAX_MEMORY // (1024 * 1024)))
    outcome = pickle.loads(child.stdout)  # written by our own child just now
    if isinstance(outcome, _Sheet):
        return outcome
    message, line, sheets = outcome
    refusal = Refused(message, line)
    refusal.sheets = sheets
    raise refusal


def _workbook_result(
    data: bytes, kind: str, sheet: str | None
) -> _Sheet | tuple[str, int | None, tuple[str, ...]]:
    """What the child sends back: the sheet, or a refusal's message, line and sheets."""
    try:
        return _read_workbook(data, kind, sheet)
    except Refused as error:
        return error.message, error.line, error.sheets
    except MemoryError:
        return _TOO_BIG.format(limit=MAX_MEMORY // (1024 * 1024)), None, ()


def _read_workbook(data: bytes, kind: str, sheet: str | None) -> _Sheet:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    label = {"xls": ".xls", "xlsx": ".xlsx", "ods": ".ods"}[kind]
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise Refused(_PASSWORD) from None
    except (CalamineError, ValueError, OSError, RuntimeError) as error:
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise Refused(_PASSWORD) from None
        raise Refused(f"the file is damaged: it is not a readable {label} workbook") from None
    with workbook:
        names = tuple(workbook.sheet_names)
        if not names:
            raise Refused("the workbook has no sheets")
        if sheet is None:
            chosen = names[0]
        elif sheet in names:
            chosen = sheet
        else:
            refusal = Refused(f"no sheet named '{sheet}' (the sheets are: {', '.join(names)})")
            refusal.sheets = names
            raise refusal
        try:
            worksheet = workbook.get_sheet_by_name(chosen)
            start = worksheet.start
            height, width = worksheet.height, worksheet.width
            first_row, first_column = start if start is not None else (0, 0)
            _check_area(first_row + height, first_column + width)
            merges = list(worksheet.merged_cell_ranges or [])
            rows: list[tuple[int, list[Value]]] = []
            for offset, values in enumerate(worksheet.iter_rows()):
                if offset > MAX_ROWS + HEADER_SEARCH_ROWS + 10:
                    raise Refused(f"more than {MAX_ROWS:,} rows: split the file")
                cells: list[Value] = [None] * first_column
                cells.extend(_value(value) for value in values)
                rows.append((first_row + offset + 1, cells))
        except PasswordError:
            raise Refused(_PASSWORD) from None
        except (CalamineError, ValueError, OSError, RuntimeError):
            raise Refused(f"the file is damaged: sheet '{chosen}' cannot be read") from None
    return _Sheet(rows, merges, chosen, names)


_PASSWORD = (
    "the workbook is protected by a password: open it, remove the password "
    "(or save a copy without one) and try again"
)


def _value(value: object) -> Value:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool | int | float | dt.date | dt.time | dt.timedelta):
        return value
    return None if value is None else str(value)


def _csv_sheet(data: bytes) -> _Sheet:
    rows: list[tuple[int, list[Value]]] = []
    for number, values in csv_rows(data, MAX_COLUMNS + 1):
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS + 10:
            raise Refused(f"more than {MAX_ROWS:,} rows: split the file", number)
        rows.append((number, [_value(value) for value in values]))
    return _Sheet(rows, [], None, ())


def _load(data: bytes, filename: str, sheet: str | None) -> _Sheet:
    if len(data) > MAX_BYTES:
        raise Refused(
            f"the file is {len(data) / 1_000_000:.1f} MB; Coprod reads at most "
            f"{MAX_BYTES // 1_000_000} MB: split it into smaller files"
        )
    if not data.strip():
        raise Refused("the file is empty")
    kind = _kind(data, filename)
    if kind == "broken":
        raise Refused("the file is damaged: it is not a readable spreadsheet")
    if kind == "ole":
        if _ole_kind(data) == "encrypted":
            raise Refused(_PASSWORD)
        return _workbook(data, "xls", sheet)
    if kind == "zip":
        return _workbook(data, _zip_check(data), sheet)
    return _csv_sheet(data)


# --- Finding the header ---------------------------------------------------------------------------


def _fill_merges(
    rows: list[tuple[int, list[Value]]], merges: Sequence[tuple[tuple[int, int], tuple[int, int]]]
) -> set[int]:
    """Copy each merged range's value over the range; return the rows a merge spans down."""
    by_number = dict(rows)
    spans_down: set[int] = set()
    for merge in merges:
        (top, left), (bottom, right) = merge
        source = by_number.get(top + 1)
        if source is None or left >= len(source) or source[left] is None:
            continue
        value = source[left]
        if (bottom - top + 1) * (right - left + 1) > 10_000:
            continue
        if bottom > top:
            spans_down.update(range(top + 1, bottom + 2))
        for row in range(top + 1, bottom + 2):
            cells = by_number.get(row)
            if cells is None:
                continue
            if len(cells) <= right:
                cells.extend([None] * (right + 1 - len(cells)))
            for column in range(left, right + 1):
                if cells[column] is None:
                    cells[column] = value
    return spans_down


def _filled(cells: Sequence[Value]) -> list[int]:
    return [index for index, value in enumerate(cells) if value is not None]


def _is_import_ids(cells: Sequence[Value]) -> bool:
    texts = [value for value in cells if value is not None]
    if not texts:
        return False
    hits = 0
    for value in texts:
        if isinstance(value, str) and value.startswith("{") and "ImportId" in value:
            with contextlib.suppress(ValueError):
                hits += isinstance(json.loads(value), dict)
    return hits * 2 > len(texts)


def _label(value: Value) -> str:
    return cell_text(value) or ""


def _headers(
    sheet: _Sheet,
) -> tuple[int, list[str], list[str], str, int, list[str]]:
    """Header row number, headers (by sheet column), ids, layout, index of first data row, notes."""
    rows = sheet.rows
    spans_down = _fill_merges(rows, sheet.merges)
    leading = [(i, n, c) for i, (n, c) in enumerate(rows) if _filled(c)][: HEADER_SEARCH_ROWS + 30]
    if not leading:
        raise Refused("no rows: the file holds no data")
    notes: list[str] = []
    # Qualtrics: ids, question text, then {"ImportId": ...}.
    for position, (index, number, cells) in enumerate(leading[:HEADER_SEARCH_ROWS]):
        if _is_import_ids(cells) and position >= 2:
            _, _, ids_cells = leading[position - 2]
            _, _, text_cells = leading[position - 1]
            width = max(len(ids_cells), len(text_cells))
            ids = [_label(ids_cells[i]) if i < len(ids_cells) else "" for i in range(width)]
            questions = [_label(text_cells[i]) if i < len(text_cells) else "" for i in range(width)]
            headers = [question or short for question, short in zip(questions, ids, strict=True)]
            notes.append(
                "This is a Qualtrics export: its question text is used as the column names "
                f"(row {leading[position - 1][1]}), and its first data row is row "
                f"{rows[index + 1][0] if index + 1 < len(rows) else number + 1}."
            )
            return leading[position - 1][1], headers, ids, "qualtrics", index + 1, notes
    sample = leading[: HEADER_SEARCH_ROWS + 30]
    widest = max(len(_filled(cells)) for _i, _n, cells in sample)
    need = max(2, (widest + 1) // 2)
    header_position = None
    for position, (_index, _number, cells) in enumerate(sample[:HEADER_SEARCH_ROWS]):
        labels = {_label(cells[i]) for i in _filled(cells)}
        if len(_filled(cells)) >= need and len(labels) >= 2:
            header_position = position
            break
    if header_position is None:
        raise Refused(
            "no header row found: the first rows should name the columns, such as "
            "Name, Email, Organisation"
        )
    index, number, cells = sample[header_position]
    width = max(len(c) for _i, _n, c in sample)
    lower = [_label(cells[i]) if i < len(cells) else "" for i in range(width)]
    upper: list[str] | None = None
    first_data = index + 1
    header_number = number
    below = rows[index + 1] if index + 1 < len(rows) else None
    above = rows[index - 1] if index > 0 else None
    # The header row and the one below it share a label merged down over both rows, or fill
    # each other's gaps (a CSV saved from such a sheet): the lower row is the real header.
    if below is not None and below[0] == number + 1 and _filled(below[1]):
        below_cells = below[1]
        mine = set(_filled(cells))
        theirs = set(_filled(below_cells))
        texts = all(isinstance(below_cells[i], str) for i in theirs)
        merged_down = number in spans_down and number + 1 in spans_down
        complementary = bool(theirs - mine) and bool(mine - theirs) and texts
        ordered = [cells[i] for i in sorted(mine)]
        grouped = any(a == b for a, b in itertools.pairwise(ordered))
        grouped = grouped and texts and len(theirs) >= len(mine)
        if merged_down or complementary or grouped:
            upper, lower = (
                lower,
                [_label(below_cells[i]) if i < len(below_cells) else "" for i in range(width)],
            )
            first_data = index + 2
            header_number = number + 1
    if upper is None and above is not None and above[0] == number - 1:
        above_cells = above[1]
        filled = _filled(above_cells)
        labels = {_label(above_cells[i]) for i in filled}
        covers_all = set(filled) >= set(_filled(cells)) and len(labels) == 1
        if len(filled) >= 2 and not covers_all:
            upper = [_label(above_cells[i]) if i < len(above_cells) else "" for i in range(width)]
    if upper is not None:
        # A group label without merges runs on over the blank cells to its right.
        carried = ""
        for i in range(width):
            if upper[i]:
                carried = upper[i]
            elif lower[i] and carried and not sheet.merges:
                upper[i] = carried
        headers = []
        for top, bottom in zip(upper, lower, strict=True):
            if not bottom or top == bottom:
                headers.append(bottom or top)
            elif not top:
                headers.append(bottom)
            else:
                headers.append(f"{top}: {bottom}")
        notes.append(
            f"The column names are on two rows ({header_number - 1} and {header_number}): "
            "each column is named by both, as in 'Consent: Contact'."
        )
        return header_number, headers, [], "two_row_header", first_data, notes
    if header_position:
        notes.append(f"The rows above row {number} are taken as a title and left out.")
    return number, lower, [], "plain", first_data, notes


def _build(sheet: _Sheet, filename: str) -> Table:
    header_row, headers, ids, layout, first_data, notes = _headers(sheet)
    data = [(number, cells) for number, cells in sheet.rows[first_data:] if _filled(cells)]
    if len(data) > MAX_ROWS:
        raise Refused(f"more than {MAX_ROWS:,} rows: split the file", data[MAX_ROWS][0])
    width = max([len(headers), *(len(cells) for _n, cells in data)])
    if width > MAX_COLUMNS:
        raise Refused(f"more than {MAX_COLUMNS} columns: keep only the columns you need")
    used_in_data = {i for _n, cells in data for i in _filled(cells)}
    keep = [i for i in range(width) if (i < len(headers) and headers[i]) or i in used_in_data]
    dropped = width - len(keep)
    if dropped and any(i < width for i in range(width) if i not in keep):
        notes.append(f"{dropped} blank column(s) left out.")
    named: list[str] = []
    for i in keep:
        header = headers[i] if i < len(headers) else ""
        if not header:
            header = f"Column {column_letter(i)}"
            notes.append(f"Column {column_letter(i)} has data but no header.")
        named.append(header)
    rows = tuple(
        (number, tuple(cells[i] if i < len(cells) else None for i in keep))
        for number, cells in data
    )
    return Table(
        filename=filename,
        headers=tuple(named),
        rows=rows,
        header_row=header_row,
        sheet=sheet.name,
        sheets=sheet.names,
        column_numbers=tuple(i + 1 for i in keep),
        ids=tuple(ids[i] if i < len(ids) else "" for i in keep) if ids else (),
        layout=layout,
        notes=tuple(notes),
    )


def read_table(data: bytes, filename: str, *, sheet: str | None = None) -> Table:
    """Read ``data`` (the bytes of a file named ``filename``) as a table; never raises for bad
    input: see ``Table.problems``."""
    sheets: tuple[str, ...] = ()
    try:
        loaded = _load(data, filename, sheet)
        sheets = loaded.names
        return _build(loaded, filename)
    except Refused as error:
        sheets = sheets or error.sheets
        problem = Problem(filename, error.line, None, "", error.message)
        return Table(filename=filename, sheets=sheets, sheet=sheet, problems=(problem,))
    except (MemoryError, RecursionError):
        problem = Problem(filename, None, None, "", "the file is too large or too complex to read")
        return Table(filename=filename, problems=(problem,))


def iter_cells(table: Table, column: int) -> Iterator[tuple[int, Value]]:
    """Each row's number and its cell in kept column ``column``."""
    for number, cells in table.rows:
        yield number, cells[column]
