"""QR codes drawn as vector rectangles: sharp at any print resolution, and cheap to make.

segno picks the smallest symbol for the URL at error correction level M. The mask is
fixed rather than chosen by scoring all eight, which is most of the time segno spends on
a code (~13 ms, against ~1 ms): every mask is valid, and readers decode them all.
Dark modules go out as rectangles, one per run of modules, runs of equal columns in
successive rows merged into one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import segno
from fpdf import FPDF

MASK = 4
QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks

Run = tuple[int, int]  # first column, column after the last


def draw(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` with its quiet zone in the square at (`x`, `y`) of side `size`.

    One filled path of rectangles, written as PDF operators: fpdf2's `rect()` costs
    ~9 µs a call and a code takes ~300 of them, 1.4 s for a 500-product catalog; it has
    no public call for raw operators, hence `_out` (fpdf2 is pinned below 3)."""
    matrix = segno.make(url, error="m", micro=False, mask=MASK).matrix
    k = pdf.k  # points a user unit; PDF's y axis grows upwards
    module = size / (len(matrix) + 2 * QUIET_ZONE) * k
    left, top = x * k + QUIET_ZONE * module, (pdf.h - y) * k - QUIET_ZONE * module
    squares = (
        f"{left + start * module:.2f} {top - last * module:.2f} "
        f"{(end - start) * module:.2f} {(last - first) * module:.2f} re"
        for (start, end), first, last in blocks(matrix)
    )
    pdf._out("q 0 g\n" + "\n".join(squares) + "\nf Q")  # black, in a state of its own


def blocks(matrix: Sequence[Sequence[int]]) -> Iterator[tuple[Run, int, int]]:
    """The dark modules as rectangles: (run of columns, first row, row after the last)."""
    open_runs: dict[Run, int] = {}
    for r, row in enumerate(matrix):
        current = set(_runs(row))
        for run in [run for run in open_runs if run not in current]:
            yield run, open_runs.pop(run), r
        for run in current:
            open_runs.setdefault(run, r)
    for run, first in open_runs.items():
        yield run, first, len(matrix)


def _runs(row: Sequence[int]) -> Iterator[Run]:
    start = None
    for c, dark in enumerate(row):
        if dark and start is None:
            start = c
        elif not dark and start is not None:
            yield start, c
            start = None
    if start is not None:
        yield start, len(row)
