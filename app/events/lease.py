"""Taking due rows of a work queue (outbox events, webhook deliveries, mail) for one worker,
and when to try a failed one again.

Rows are leased rather than held in a transaction: a worker that dies leaves its lease to
expire, and another takes the rows again. On PostgreSQL, `SKIP LOCKED` lets several
workers take at once without waiting on each other or taking the same row twice.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def lease_due(
    session: AsyncSession,
    model: Any,
    due_at: Any,
    *,
    now: datetime,
    until: datetime,
    batch: int,
) -> list[uuid.UUID]:
    """Ids of up to `batch` pending rows of `model` due by `now` (column `due_at`) and not
    leased, now leased `until` with one more attempt counted; oldest due first."""
    due = (
        select(model.id)
        .where(
            model.status == "pending",
            due_at <= now,
            or_(model.locked_until.is_(None), model.locked_until < now),
        )
        .order_by(due_at, model.created_at)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.scalars(due)).all())
    if ids:
        await session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(locked_until=until, attempts=model.attempts + 1)
        )
    return ids


def backoff(base: timedelta, attempt: int, longest: timedelta | None = None) -> timedelta:
    """How long to wait after failed try number `attempt`: `base` doubled for each earlier
    try (at most `longest`), then up to a quarter more at random, so that rows which
    failed together are not all tried again at the same moment."""
    # The exponent is capped: days of tries would overflow a timedelta.
    doubling: int = 2 ** min(attempt - 1, 20)
    delay = base * doubling
    if longest is not None:
        delay = min(delay, longest)
    return delay * (1 + random.random() / 4)
