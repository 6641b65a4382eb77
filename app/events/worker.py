"""`kurasi worker`: runs the handlers of outbox events after their commit, until done.

A worker takes a batch of due events with a lease (`locked_until`); on PostgreSQL it
picks them with FOR UPDATE SKIP LOCKED, so several workers never take the same one. On
SQLite, whose transactions begin IMMEDIATE, taking is serialized; run one worker there.
Handlers run outside any transaction the worker holds, each opening the short sessions
it needs, so a slow storage call locks nothing. An event whose handler fails is put back
with a growing delay (exponential, with jitter) and tried again, up to `max_attempts`;
handlers that succeeded are not run again. Handlers are idempotent: a worker that dies
after a handler ran but before it said so makes the next worker run it a second time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.core.db import utcnow
from app.core.logs import request_id
from app.core.storage import Storage
from app.events.lease import backoff, lease_due
from app.events.loop import keep_passing
from app.models import OutboxEvent

logger = logging.getLogger("kurasi.worker")


@dataclass(frozen=True)
class WorkerContext:
    """What handlers work with."""

    sessions: async_sessionmaker[AsyncSession]
    storage: Storage
    settings: Settings


Handler = Callable[[WorkerContext, OutboxEvent], Awaitable[None]]
Handlers = Mapping[str, Sequence[Handler]]


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


class Worker:
    def __init__(
        self,
        context: WorkerContext,
        handlers: Handlers,
        *,
        batch: int = 20,
        lease: timedelta | None = None,
        max_attempts: int | None = None,
        retry_base: timedelta | None = None,
    ) -> None:
        settings = context.settings
        self.context = context
        self.handlers = handlers
        self.batch = batch
        self.lease = lease or timedelta(seconds=settings.worker_lease_seconds)
        self.max_attempts = max_attempts or settings.worker_max_attempts
        self.retry_base = retry_base or timedelta(seconds=settings.worker_retry_seconds)

    async def run(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Work until `stop` is set, polling when idle (or when `wake` is set)."""
        poll = self.context.settings.worker_poll_seconds
        await keep_passing(
            self.run_once, stop, poll=poll, logger=logger, what="worker pass", wake=wake
        )

    async def run_once(self) -> int:
        """Take one batch of due events and run them; how many were taken."""
        taken = await self.take()
        for event, lease in taken:
            await self._run(event, lease)
        return len(taken)

    async def take(self) -> list[tuple[OutboxEvent, datetime]]:
        """Take a batch of due events, each with the lease it is held by until run."""
        now = utcnow()
        lease = now + self.lease
        async with self.context.sessions() as session, session.begin():
            ids = await lease_due(
                session, OutboxEvent, OutboxEvent.run_after, now=now, until=lease, batch=self.batch
            )
            if not ids:
                return []
            events = (
                await session.scalars(
                    select(OutboxEvent)
                    .where(OutboxEvent.id.in_(ids))
                    .order_by(OutboxEvent.created_at)
                )
            ).all()
        return [(e, lease) for e in events]

    async def _run(self, event: OutboxEvent, lease: datetime) -> None:
        # Handlers' log lines, and this event's, carry the id of the request behind it.
        token = request_id.set(event.request_id)
        try:
            await self._handle(event, lease)
        finally:
            request_id.reset(token)

    async def _handle(self, event: OutboxEvent, lease: datetime) -> None:
        handled = list(event.handled)
        for handler in self.handlers.get(event.type, ()):
            name = handler_name(handler)
            if name in handled:
                continue
            try:
                await handler(self.context, event)
            except Exception as exc:
                logger.warning("handler %s failed on %s %s: %r", name, event.type, event.id, exc)
                await self._failed(event, lease, handled, f"{name}: {exc!r}")
                return
            handled.append(name)
            await self._save(event, lease, handled=list(handled))
        await self._save(
            event, lease, status="done", finished_at=utcnow(), locked_until=None, last_error=None
        )
        logger.info(
            "event handled",
            extra={"event_id": str(event.id), "event": event.type, "attempt": event.attempts},
        )

    async def _failed(
        self, event: OutboxEvent, lease: datetime, handled: list[str], error: str
    ) -> None:
        if event.attempts >= self.max_attempts:
            await self._save(
                event,
                lease,
                status="failed",
                finished_at=utcnow(),
                locked_until=None,
                last_error=error[:4000],
            )
            return
        delay = backoff(self.retry_base, event.attempts)
        await self._save(
            event,
            lease,
            run_after=utcnow() + delay,
            locked_until=None,
            last_error=error[:4000],
            handled=handled,
        )

    async def _save(self, event: OutboxEvent, lease: datetime, **values: object) -> None:
        """Write to the event while this worker still holds its lease."""
        async with self.context.sessions() as session, session.begin():
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == event.id, OutboxEvent.locked_until == lease)
                .values(**values)
            )
