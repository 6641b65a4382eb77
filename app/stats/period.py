"""The days a statistics request is about: whole UTC days, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_

from app.core.errors import Unprocessable

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, UTC)

    @property
    def end(self) -> datetime | None:
        """The first instant after the period; None when it ends with the calendar."""
        if self.last == date.max:
            return None
        return datetime.combine(self.last + timedelta(days=1), time.min, UTC)

    def holds(self, at: Any) -> ColumnElement[bool]:
        """The timestamp column `at` falls within the period."""
        end = self.end
        return and_(at >= self.start, *([at < end] if end is not None else []))


def period(first: date | None, last: date | None, today: date) -> Period:
    """`first` to `last`; by default the last DEFAULT_DAYS days up to and including `last`,
    and `last` today. 422 when `first` is after `last`."""
    last = last or today
    if first is None:
        span = timedelta(days=DEFAULT_DAYS - 1)
        first = last - span if last - date.min >= span else date.min
    if first > last:
        raise Unprocessable(
            "`from` is after `to`",
            errors=[
                {
                    "loc": ["query", "from"],
                    "msg": f"{first.isoformat()} is after `to` ({last.isoformat()}; "
                    "`to` is today unless given)",
                }
            ],
        )
    return Period(first, last)
