"""Today's date and the current time, asked in one place, so that tests can let time pass."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return date.today()


def now() -> datetime:
    """The current time in UTC; every timestamp the app writes is taken from it."""
    return datetime.now(UTC)
