"""How the numbers of an import file are read.

Spreadsheets from Indonesia write `12.500,50` (a dot groups thousands, a comma is the
decimal mark), others `12,500.50` or `12500.50`; XLSX cells may hold real numbers. One
rule reads them all:

- with both `.` and `,`, the last one is the decimal mark and the other groups
  thousands: `12.500,50` and `12,500.50` are both 12500.50;
- a mark that appears more than once groups thousands: `1.250.000` is 1250000;
- a single mark followed by exactly three digits groups thousands, `12.500` and
  `12,500` are both 12500 (a price has at most two decimals, so it cannot be a decimal
  mark there); followed by one or two digits it is the decimal mark: `12,5` and `12.50`
  are 12.5;
- spaces (also non-breaking ones) and a currency sign before or a code after the number
  (`Rp 12.500`, `¥1,200`, `1,200円`, `12500 IDR`) are ignored; thousands groups must
  have three digits (`1.25.000` is refused).

A whole-number column (MOQ, days, grams) reads the same way and must come out whole
(`1.000` is 1000, `5.0` is 5, `5.5` is refused).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

# What a cell of either format may hold.
Cell = str | int | float | Decimal | bool | datetime | date | time | None
# What else a workbook may hold (rich text, a duration) is read as its text.
CELL_TYPES = (str, int, float, Decimal, bool, datetime, date, time, type(None))

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_CURRENCY_SIGN = re.compile(
    r"^(?:rp\.?|idr|jpy|usd|us\$|\$|¥|€)|(?:idr|jpy|usd|rp|円|yen)$", re.IGNORECASE
)
_DIGITS_AND_MARKS = re.compile(r"[0-9]*(?:[.,][0-9]*)*")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:X[0-9]{3})+")  # X: the grouping mark
HOW = "write it as 12500.50 or 12.500,50"
MAX_AMOUNT = Decimal(10) ** 16  # the API's amounts have at most 16 digits before the mark


class NotANumber(ValueError):
    """A cell that is not the number its column takes; the message says why."""


def _grouped(text: str, mark: str) -> str:
    """`text` without its thousands marks, if they group by three."""
    if not _GROUPED.fullmatch(text.replace(mark, "X")):
        raise NotANumber(f"{text!r}: thousands groups must have three digits; {HOW}")
    return text.replace(mark, "")


def _from_text(raw: str) -> Decimal:
    # NFKC: full-width digits and marks, as Japanese input methods type them, are digits.
    text = _CURRENCY_SIGN.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", raw)))
    if text.startswith("-") and _DIGITS_AND_MARKS.fullmatch(text[1:]) and text[1:2].isdigit():
        # Every number the import takes (prices, quantities, days, grams) is 0 or more.
        raise NotANumber(f"{raw!r} is negative: write a number of 0 or more")
    if not text or not _DIGITS_AND_MARKS.fullmatch(text) or not any(c.isdigit() for c in text):
        raise NotANumber(f"{raw!r} is not a number; {HOW}")
    marks = [c for c in text if c in ".,"]
    if len(set(marks)) == 2:
        decimal_mark = marks[-1]
        group_mark = "," if decimal_mark == "." else "."
        whole, _, fraction = text.rpartition(decimal_mark)
        if decimal_mark in whole:
            raise NotANumber(f"{raw!r} has more than one decimal mark; {HOW}")
        plain = f"{_grouped(whole, group_mark) if group_mark in whole else whole}.{fraction}"
    elif len(marks) > 1:
        plain = _grouped(text, marks[0])
    elif marks:
        whole, _, fraction = text.partition(marks[0])
        three = len(fraction) == 3 and re.fullmatch(r"[1-9][0-9]{0,2}", whole)
        plain = whole + fraction if three else f"{whole or '0'}.{fraction}"
    else:
        plain = text
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the patterns above let only digits through
        raise NotANumber(f"{raw!r} is not a number; {HOW}") from None


def decimal(cell: Cell) -> Decimal:
    """The number a cell holds, exactly as written or as a spreadsheet shows it."""
    if isinstance(cell, bool | datetime | date | time):
        raise NotANumber(f"{cell!s} is not a number")
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise NotANumber("not a number")
        # The 15 significant digits Excel shows and keeps: a computed 13750.550000000001
        # is the 13750.55 on screen.
        return Decimal(format(cell, ".15g"))
    if cell is None:
        raise NotANumber("empty")
    return _from_text(cell)


def amount(cell: Cell) -> str:
    """A price as the API's decimal string: at most two decimals (`12500.50`)."""
    value = decimal(cell)
    if value < 0:
        raise NotANumber("a price cannot be negative")
    if value >= MAX_AMOUNT:
        raise NotANumber(f"{cell!s} is too large for a price")
    cents = value.quantize(Decimal("0.01"))
    if cents != value:
        raise NotANumber(f"{cell!s}: a price has at most two decimals")
    return format(value.normalize() if value == value.to_integral() else cents, "f")


def whole(cell: Cell) -> int:
    """A whole number (`1.000` is 1000; `5.0`, as XLSX stores 5, is 5)."""
    value = decimal(cell)
    if value != value.to_integral():
        raise NotANumber(f"{cell!s} is not a whole number")
    return int(value)
