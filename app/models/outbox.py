"""The outbox: events written in the transaction of the change they tell of.

`kurasi worker` runs each event's handlers after the commit (app/events/worker.py). A
worker takes an event by setting `locked_until` (a lease), runs the handlers that have not
run yet (`handled`), and either marks it done or puts it back for a later attempt
(`run_after`, growing with `attempts`); a worker that dies mid-way loses nothing, as the
lease runs out and another worker takes the event again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType, UUIDPrimaryKey, utcnow


class OutboxEvent(UUIDPrimaryKey, Base):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_due", "status", "run_after"),)

    type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # done, failed
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    handled: Mapped[list[str]] = mapped_column(JSONType, default=list)
    last_error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
    # The X-Request-ID of the request that recorded it, for the worker's log lines.
    request_id: Mapped[str | None] = mapped_column(String(128))
