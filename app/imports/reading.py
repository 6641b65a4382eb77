"""An import file's bytes to its rows: CSV or XLSX told apart by content (never by name),
the header checked against the template, empty rows dropped, the limits enforced.

CSV: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), or UTF-16 with one
(Excel's "Unicode Text"); separated by `,`, `;` (Excel where the decimal mark is a
comma, as in Indonesia) or tabs, whichever the header row is written in; quoted cells
may hold separators and line breaks. Other encodings (Shift-JIS, Windows-1252) are
refused naming the first line that is not UTF-8, rather than guessed at.
XLSX: the sheet named Products, else the first; cells as stored (numbers as numbers,
text as text), a formula by its last computed value.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

from app.core.errors import Unprocessable
from app.imports.columns import NAMES
from app.imports.numbers import CELL_TYPES, Cell
from app.imports.schemas import ImportProblem, bad_file

MAX_BYTES = 10_000_000  # 10 MB
MAX_ROWS = 10_000
# Rows read, empty ones included: a sheet whose cleared rows run on for a million would
# otherwise cost a minute of parsing to find nothing in them.
MAX_SCANNED = 100_000
# A workbook's parts unpacked: far above any 10,000-row sheet, far below a zip bomb.
MAX_UNPACKED_BYTES = 200_000_000
SAVE_AS = "save it from Excel as 'CSV UTF-8' or as an .xlsx workbook"
_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 (.xls) or password-protected workbook",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
}
_DELIMITERS = (",", ";", "\t")
MAX_COLUMN = 18_278  # the last one a column letter names (ZZZ)


@dataclass
class Row:
    number: int  # the spreadsheet row a person sees
    cells: dict[str, Cell]  # by template column; blank cells left out
    problems: list[str] = field(default_factory=list)  # cells that belong to no column


def blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def too_large() -> Unprocessable:
    return bad_file(f"The file is larger than {MAX_BYTES:,} bytes (10 MB)")


def read_rows(data: bytes) -> list[Row]:
    """The data rows of an import file, or a 422 saying why the file cannot be read."""
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise bad_file("The file is empty")
    if data.startswith(b"PK\x03\x04"):
        return _table(_xlsx_rows(data))
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise bad_file(f"The file is {what}, not CSV or XLSX: {SAVE_AS}")
    return _table(_csv_rows(_decode(data)))


# -- CSV -------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise bad_file("The file starts as UTF-16 text but is not") from None
    if b"\x00" in data:
        raise bad_file("The file is not CSV or XLSX (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise bad_file(
            f"The file is not UTF-8 text (line {line}; Shift-JIS or Windows-1252?): {SAVE_AS}"
        ) from None


def _delimiter(text: str) -> str:
    """The separator that splits the first non-empty line into the most template columns."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")

    def known(delimiter: str) -> int:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(_header_name(c) in NAMES for c in cells)

    return max(_DELIMITERS, key=known)  # ties: the first, a comma


def _csv_rows(text: str) -> Iterator[tuple[int, list[Cell]]]:
    # Excel's own hint on a first line of its own, `sep=;`, which it does not show as a row.
    hint = re.match(r"sep=([,;\t|])\r?\n", text)
    if hint is not None:
        text = text[hint.end() :]
    delimiter = hint.group(1) if hint else _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record is one spreadsheet row even when a quoted cell spans lines.
        yield from enumerate(reader, 1)
    except csv.Error as exc:
        raise bad_file(f"The CSV cannot be read near line {reader.line_num}: {exc}") from None


# -- XLSX ------------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise bad_file("The file looks like an XLSX workbook but is damaged") from None
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names:
        what = "an OpenDocument file" if "content.xml" in names else "a ZIP archive"
        raise bad_file(f"The file is {what}, not an XLSX workbook: {SAVE_AS}")
    if sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise bad_file(f"The workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in many ways inside openpyxl
        raise bad_file("The XLSX workbook is damaged and cannot be read") from None
    try:
        if not book.worksheets:
            raise bad_file("The workbook has no worksheet")
        # The template's sheet when it is there (a workbook may lead with another), else
        # the first.
        named = [s for s in book.worksheets if s.title.strip().lower() == "products"]
        sheet = (named or book.worksheets)[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read what is there
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception:
                raise bad_file(f"The XLSX sheet is damaged after row {number}") from None
            number += 1
            yield number, [v if isinstance(v, CELL_TYPES) else str(v) for v in values]
    finally:
        book.close()


# -- both ------------------------------------------------------------------------------


def _header_name(cell: Cell) -> str:
    """A header cell as a column name: case, spaces around and between words, a BOM
    and a required-mark `*` do not matter (`Name ID` is `name_id`)."""
    text = "" if cell is None else str(cell)
    text = text.replace("\ufeff", "").strip().rstrip("*").strip().lower()
    return "_".join(text.replace("-", " ").split())


def _header(number: int, cells: list[Cell]) -> list[str | None]:
    """The template column of each position of the header row (None: a blank header)."""
    columns = [_header_name(c) or None for c in cells]
    counts = Counter(columns)
    pairs = zip(cells, columns, strict=True)
    unknown = [str(c).strip() for c, name in pairs if name and name not in NAMES]
    missing = [name for name in NAMES if name not in counts]
    twice = [name for name in NAMES if counts[name] > 1]
    if not (unknown or missing or twice):
        return columns
    known = f"unknown column; the template's columns are {', '.join(NAMES)}"
    problems = [ImportProblem(row=number, column=c, message=known) for c in unknown]
    problems += [ImportProblem(row=number, column=n, message="missing column") for n in missing]
    problems += [ImportProblem(row=number, column=n, message="column given twice") for n in twice]
    found = (("missing", missing), ("unknown", unknown), ("given twice", twice))
    said = "; ".join(f"{what} columns: {', '.join(names)}" for what, names in found if names)
    raise bad_file(f"The header row (row {number}) does not match the template: {said}", problems)


def _table(rows: Iterator[tuple[int, list[Cell]]]) -> list[Row]:
    columns: list[str | None] | None = None
    table: list[Row] = []
    for number, cells in rows:
        if number > MAX_SCANNED:
            raise bad_file(
                f"The file has more than {MAX_SCANNED:,} rows, empty ones included: delete "
                "the empty rows below the products"
            )
        if all(blank(c) for c in cells):
            continue
        if columns is None:
            columns = _header(number, cells)
            continue
        if len(table) == MAX_ROWS:
            over = f"more than {MAX_ROWS:,} rows of products"
            raise bad_file(
                f"The file has {over}; split it into several imports",
                [ImportProblem(row=number, column=None, message=f"row {number}: {over}")],
            )
        row = Row(number, {})
        for position, cell in enumerate(cells):
            if blank(cell):
                continue
            name = columns[position] if position < len(columns) else None
            if name is None:
                letter = get_column_letter(min(position + 1, MAX_COLUMN))
                row.problems.append(f"a value in column {letter}, which has no header")
            else:
                row.cells[name] = cell
        table.append(row)
    if columns is None:
        raise bad_file("The file is empty")
    return table
