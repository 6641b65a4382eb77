"""Cached catalog pages dropped in every server process, not only the one that wrote.

On PostgreSQL, a transaction that raised CATALOG (app/core/db.py `signal`) sends
`NOTIFY kurasi_catalog` just before it commits: PostgreSQL delivers it only if the
transaction commits, and once however many changes the transaction made. Each server
process keeps one connection of its own listening on that channel (`listening`, in the
app's lifespan) and clears its `PageCache` on every notification, so that a publish, an
unpublish, an FX rate or an approval made by any process (another `kurasi serve` worker,
`kurasi worker`, another host) shows on the next request whichever process answers it.
The process that wrote still clears its own cache at once, on the commit itself.

While the connection listens, the cache knows it hears every change (`PageCache.heard`)
and keeps pages until one drops them. Notifications sent while it is down are lost: the
cache is cleared whenever it (re)connects, and in between pages fall back to the cache's
seconds (`KURASI_CATALOG_CACHE_SECONDS`). On SQLite nothing is sent and no one listens: a
process sees its own writes at once and other processes' within the cache's seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import psycopg
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.catalog.cache import CATALOG, PageCache
from app.config import Settings
from app.core.db import pending_signals

logger = logging.getLogger("kurasi")

CHANNEL = "kurasi_catalog"
# Waits between attempts to reconnect, the last repeated: a restarting database is
# heard again within a second or two, a long outage is not hammered.
RETRY_SECONDS = (0.2, 1.0, 2.0, 5.0)


@event.listens_for(Session, "before_commit")
def _notify(session: Session) -> None:
    # Here rather than where CATALOG is raised: once per transaction, and from inside
    # it, so that a rolled-back change tells no one.
    if CATALOG in pending_signals(session):
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"NOTIFY {CHANNEL}")


@asynccontextmanager
async def listening(settings: Settings, cache: PageCache) -> AsyncIterator[None]:
    """While inside, `cache` is cleared whenever any process commits a catalog change
    (PostgreSQL, cache on; otherwise this does nothing)."""
    if settings.is_sqlite or cache.seconds <= 0:
        yield
        return
    tried = asyncio.Event()
    task = asyncio.create_task(_listen(settings, cache, tried))
    try:
        # Serve once the first attempt is over: listening then, unless the database is
        # down, and a database that is down must not keep the app from starting.
        await tried.wait()
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        cache.heard = False


async def _listen(settings: Settings, cache: PageCache, tried: asyncio.Event) -> None:
    failures = 0
    while True:
        try:
            conn = await psycopg.AsyncConnection.connect(
                settings.libpq_database_url,
                autocommit=True,
                connect_timeout=settings.db_connect_timeout,
                # A connection that died without a word (a host gone, a NAT that forgot
                # it) is noticed in about 25 s rather than the kernel's two hours.
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
            )
        except psycopg.Error as exc:
            logger.warning("catalog changes not heard (connecting: %r); pages age out", exc)
        else:
            try:
                await conn.execute(f"LISTEN {CHANNEL}")
                # Changes made while no one listened cannot be told from no change.
                cache.clear()
                cache.heard = True
                failures = 0
                tried.set()
                async for _ in conn.notifies():
                    cache.clear()
            except psycopg.Error as exc:
                logger.warning("catalog changes not heard (listening: %r); pages age out", exc)
            finally:
                cache.heard = False
                await conn.close()
        tried.set()
        await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
        failures += 1
