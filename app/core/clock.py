"""Today's date, asked in one place, so that tests can let days pass."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
