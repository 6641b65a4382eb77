"""Events after the commit (SPEC §9): the outbox, and `kurasi worker` running its handlers.

The real handlers run here against the local storage: deleting an image or a document
records an event, and the file goes when a worker runs it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from app.config import Settings
from app.core.db import utcnow
from app.events.worker import WorkerContext
from app.files.cleanup import delete_stored_files
from app.main import create_app
from app.models import Media, OutboxEvent
from tests.factories import Actor, Factory


async def events(app: FastAPI, type: str | None = None) -> list[OutboxEvent]:
    async with app.state.sessionmaker() as session:
        stmt = select(OutboxEvent).order_by(OutboxEvent.created_at)
        if type is not None:
            stmt = stmt.where(OutboxEvent.type == type)
        return list((await session.scalars(stmt)).all())


async def image_on_disk(factory: Factory, storage_dir: Path) -> tuple[Actor, dict[str, Any], Path]:
    owner = await factory.owner()
    product = await factory.product(owner)
    media = await factory.media(owner, product["id"])
    async with factory.app.state.sessionmaker() as session:
        key = await session.scalar(
            select(Media.storage_key).where(Media.id == uuid.UUID(media["id"]))
        )
    assert key is not None
    path = storage_dir / key
    assert path.exists()
    return owner, media, path


async def delete_media(client: httpx.AsyncClient, owner: Actor, media: dict[str, Any]) -> None:
    r = await client.delete(f"/api/v1/media/{media['id']}", headers=owner.headers)
    assert r.status_code == 204, r.text


async def test_events_are_written_with_the_change_and_only_with_it(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    product, actors = await factory.published_product()
    kinds = [e.type for e in await events(app)]
    for kind in ("product.submitted", "product.approved", "listing.published"):
        assert kind in kinds, kinds
    [approved] = await events(app, "product.approved")
    assert approved.payload["product_id"] == product["id"]
    assert approved.status == "pending" and approved.attempts == 0

    # A refused transition writes no event: it rolls back with the rest.
    before = len(await events(app))
    r = await factory.transition(actors["owner"], product["id"], "submit")
    assert r.status_code == 409
    r = await factory.transition(actors["curator"], product["id"], "reject")
    assert r.status_code == 409
    assert len(await events(app)) == before


async def test_a_stopped_worker_loses_nothing(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, storage_dir: Path
) -> None:
    owner, media, path = await image_on_disk(factory, storage_dir)
    await delete_media(client, owner, media)
    # No worker runs: the request is done, the file waits.
    assert path.exists()
    [deleted] = await events(app, "media.deleted")
    assert deleted.payload["storage_keys"] == [str(path.relative_to(storage_dir))]
    assert await factory.drain() >= 1
    assert not path.exists()
    [deleted] = await events(app, "media.deleted")
    assert deleted.status == "done" and deleted.finished_at is not None
    assert await factory.drain() == 0  # nothing runs twice


async def test_an_event_taken_by_a_worker_that_died_is_run_by_another(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, storage_dir: Path
) -> None:
    owner, media, path = await image_on_disk(factory, storage_dir)
    await delete_media(client, owner, media)
    crashed = factory.worker(lease=timedelta(minutes=5))
    taken = await crashed.take()  # it takes the events, then dies before running them
    assert [e.type for e, _ in taken] == ["media.deleted"]
    # While its lease runs, no other worker takes them.
    assert await factory.worker().run_once() == 0
    assert path.exists()
    # The lease runs out.
    async with app.state.sessionmaker() as session:
        await session.execute(
            update(OutboxEvent).values(locked_until=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    assert await factory.drain() == 1
    assert not path.exists()
    [deleted] = await events(app, "media.deleted")
    assert deleted.status == "done" and deleted.attempts == 2


async def test_a_failing_handler_is_retried_with_backoff_and_others_are_not_repeated(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, storage_dir: Path
) -> None:
    calls: list[str] = []

    async def flaky(ctx: WorkerContext, event: OutboxEvent) -> None:
        calls.append("flaky")
        if calls.count("flaky") < 3:
            raise ConnectionError("the mail server is down")

    async def counted(ctx: WorkerContext, event: OutboxEvent) -> None:
        calls.append("counted")
        await delete_stored_files(ctx, event)

    owner, media, path = await image_on_disk(factory, storage_dir)
    await delete_media(client, owner, media)
    worker = factory.worker(
        handlers={"media.deleted": (counted, flaky)}, retry_base=timedelta(seconds=30)
    )
    started = utcnow()
    for attempt in (1, 2):
        assert await worker.run_once() == 1
        [event] = await events(app, "media.deleted")
        assert event.status == "pending" and event.attempts == attempt
        assert "the mail server is down" in (event.last_error or "")
        # 30 s, then 60 s, each with up to a quarter of jitter.
        delay = (event.run_after - started).total_seconds()
        assert 30 * 2 ** (attempt - 1) <= delay <= 30 * 2 ** (attempt - 1) * 1.25 + 5, delay
        assert await worker.run_once() == 0  # not due yet
        async with app.state.sessionmaker() as session:
            await session.execute(update(OutboxEvent).values(run_after=utcnow()))
            await session.commit()
        started = utcnow()
    assert await worker.run_once() == 1
    [event] = await events(app, "media.deleted")
    assert event.status == "done" and event.last_error is None
    assert calls == ["counted", "flaky", "flaky", "flaky"]  # the file went once
    assert not path.exists()


async def test_a_handler_that_keeps_failing_stops_at_the_last_attempt(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, storage_dir: Path
) -> None:
    async def broken(ctx: WorkerContext, event: OutboxEvent) -> None:
        raise ValueError("no such recipient")

    owner, media, _ = await image_on_disk(factory, storage_dir)
    await delete_media(client, owner, media)
    worker = factory.worker(handlers={"media.deleted": (broken,)}, max_attempts=3)
    for _ in range(3):
        assert await worker.run_once() == 1
        async with app.state.sessionmaker() as session:
            await session.execute(update(OutboxEvent).values(run_after=utcnow()))
            await session.commit()
    [event] = await events(app, "media.deleted")
    assert event.status == "failed" and event.attempts == 3
    assert "no such recipient" in (event.last_error or "")
    assert await worker.run_once() == 0


async def test_two_workers_at_once_run_each_event_once(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    if app.state.engine.dialect.name == "sqlite":
        pytest.skip("one worker on SQLite: taking events is serialized there")
    runs: list[str] = []

    async def count(ctx: WorkerContext, event: OutboxEvent) -> None:
        await asyncio.sleep(0.01)
        runs.append(str(event.id))

    async with app.state.sessionmaker() as session:
        session.add_all(OutboxEvent(type="test.event", payload={"n": n}) for n in range(60))
        await session.commit()
    workers = [factory.worker(handlers={"test.event": (count,)}, batch=5) for _ in range(2)]

    async def work(worker: Any) -> None:
        while await worker.run_once():
            pass

    await asyncio.gather(*(work(w) for w in workers))
    assert len(runs) == len(set(runs)) == 60
    async with app.state.sessionmaker() as session:
        done = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.status == "done")
        )
    assert done == 60


async def test_a_worker_in_the_server_starts_on_an_event_after_its_commit(
    settings: Settings, factory: Factory, storage_dir: Path
) -> None:
    """`kurasi serve --worker`: the commit wakes the worker, which does not wait for its
    next poll."""
    owner, media, path = await image_on_disk(factory, storage_dir)
    served = create_app(settings.model_copy(update={"run_worker": True, "worker_poll_seconds": 60}))
    async with served.router.lifespan_context(served):
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await delete_media(c, owner, media)
            for _ in range(100):
                if not path.exists():
                    break
                await asyncio.sleep(0.05)
    assert not path.exists()
