"""The loop of `kurasi worker`'s background passes (outbox events, webhook deliveries,
mail, the expiry sweep): run a pass until told to stop, waiting a poll interval whenever
it found nothing to do; a pass that fails (the database away for a moment) is logged and
tried again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.core.errors import database_unavailable


async def keep_passing(
    step: Callable[[], Awaitable[int]],
    stop: asyncio.Event,
    *,
    poll: float,
    logger: logging.Logger,
    what: str,
    wake: asyncio.Event | None = None,
) -> None:
    """Run `step` until `stop` is set; it returns how much it did (0: wait `poll` s, or
    until `wake` is set)."""
    wake = wake or asyncio.Event()
    while not stop.is_set():
        try:
            done = await step()
        except Exception as exc:
            if database_unavailable(exc):
                logger.warning("%s failed: the database is unavailable", what)
            else:
                logger.exception("%s failed", what)
            done = 0
        if done:
            continue
        waiters = [asyncio.ensure_future(e.wait()) for e in (stop, wake)]
        await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()
        wake.clear()
