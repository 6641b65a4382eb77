from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest

from app.core import clock


def test_today_is_the_date_until_local_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_day", (0.0, date.min))
    assert clock.today() == date.today()
    ends, day = clock._day
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time())
    assert datetime.fromtimestamp(ends) == midnight
    assert time.time() < ends
    # Kept until then, and asked anew once that moment has passed.
    monkeypatch.setattr(clock, "_day", (time.time() + 60, date(2000, 1, 1)))
    assert clock.today() == date(2000, 1, 1)
    monkeypatch.setattr(clock, "_day", (time.time() - 1, date(2000, 1, 1)))
    assert clock.today() == date.today()
