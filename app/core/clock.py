"""Today's date and the current time, asked in one place, so that tests can let time pass."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

# Today, and the moment it ends (local midnight, as a timestamp): every cached catalog
# page's key asks the date, and `date.today()` converts the clock each time.
_day: tuple[float, date] = (0.0, date.min)


def today() -> date:
    global _day
    if time.time() >= _day[0]:
        day = date.today()
        _day = (datetime.combine(day + timedelta(days=1), datetime.min.time()).timestamp(), day)
    return _day[1]


def now() -> datetime:
    """The current time in UTC; every timestamp the app writes is taken from it."""
    return datetime.now(UTC)
