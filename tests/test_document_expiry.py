"""`document.expiring` (SPEC §9): the worker's daily sweep warns a document's owner once,
30 days before `expires_on`, in their language, and partner systems hear of it too."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from app.core import clock
from app.documents.expiry import ExpirySweep, sweep
from app.events.worker import WorkerContext
from app.models import OutboxEvent
from tests.factories import Actor, Factory, days_pass
from tests.test_notifications import mine
from tests.test_webhooks import Receiver, deliverer, receiver, subscribe

__all__ = ["receiver"]  # the fixture, used here too

EXPIRING = "document.expiring"


def sweeper(app: FastAPI) -> ExpirySweep:
    return ExpirySweep(WorkerContext(app.state.sessionmaker, app.state.storage, app.state.settings))


async def worker_pass(factory: Factory) -> None:
    """What `kurasi worker --once` does: the sweep, then every event due."""
    await sweeper(factory.app).run_once()
    await factory.drain()


async def warnings(client: httpx.AsyncClient, owner: Actor) -> list[dict[str, Any]]:
    return [n for n in await mine(client, owner) if n["event"] == EXPIRING]


async def verified(
    factory: Factory,
    owner: Actor,
    curator: Actor,
    product_id: str,
    days: int,
    doc_type: str = "halal",
    **body: Any,
) -> dict[str, Any]:
    """A certificate of the product expiring `days` from today, decided `status`."""
    expires_on = (clock.today() + timedelta(days=days)).isoformat()
    document = await factory.document(owner, doc_type, product_id=product_id, expires_on=expires_on)
    r = await factory.client.post(
        f"/api/v1/documents/{document['id']}/verify",
        json={"status": "verified", **body},
        headers=curator.headers,
    )
    assert r.status_code == 200, r.text
    return document


async def test_thirty_days_before_the_owner_is_warned_once_in_their_language(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, receiver: Receiver
) -> None:
    owner = await factory.user("msme_owner", preferred_language="ja")
    curator, admin = await factory.curator(), await factory.admin()
    hook = await subscribe(client, admin, receiver.url, [EXPIRING])
    product = await factory.product(owner)
    document = await verified(factory, owner, curator, product["id"], 30)
    expires_on = document["expires_on"]

    await worker_pass(factory)
    (warning,) = await warnings(client, owner)
    assert warning["product_id"] == product["id"]
    assert "ガヨ・アラビカ焙煎コーヒー" in warning["title"]
    assert "BPJPHハラール認証" in warning["body"] and expires_on in warning["body"]
    assert "有効期限" in warning["body"]
    assert warning["body"].endswith(f"/api/v1/documents/{document['id']}")

    await worker_pass(factory)  # again the same day
    with days_pass(1):
        await worker_pass(factory)  # and the next
    assert len(await warnings(client, owner)) == 1

    assert await deliverer(app).run_once() == 1
    (got,) = receiver.received
    assert got.headers["Kurasi-Event"] == EXPIRING
    data = httpx.Response(200, content=got.body).json()["data"]
    assert data["document_id"] == document["id"] and data["expires_on"] == expires_on
    assert data["doc_type"] == "halal" and data["product_id"] == product["id"]
    assert hook["id"]


async def test_thirty_one_days_before_it_waits_a_day(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.product(owner)
    await verified(factory, owner, curator, product["id"], 31)
    # One worker's sweeper, as its loop calls it: it sweeps again when the day changes.
    daily = sweeper(factory.app)
    assert await daily.run_once(force=False) == 0
    await factory.drain()
    assert await warnings(client, owner) == []
    with days_pass(1):
        assert await daily.run_once(force=False) == 1
        await factory.drain()
    (warning,) = await warnings(client, owner)
    assert "Document expiring" in warning["title"]


async def test_a_renewal_is_warned_of_in_its_turn(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.product(owner)
    await verified(factory, owner, curator, product["id"], 30)
    await worker_pass(factory)
    renewal = await verified(factory, owner, curator, product["id"], 60)
    await worker_pass(factory)
    assert len(await warnings(client, owner)) == 1
    with days_pass(30):
        await worker_pass(factory)
    newest, first = await warnings(client, owner)
    assert renewal["expires_on"] in newest["body"]
    assert renewal["expires_on"] not in first["body"]


async def test_no_warning_when_rejected_renewed_or_already_expired(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    rejected, renewed, late, due = [await factory.product(owner) for _ in range(4)]
    await verified(factory, owner, curator, rejected["id"], 10, status="rejected", note="blurred")
    # Renewed before the warning was due: the old one needs none.
    await verified(factory, owner, curator, renewed["id"], 10)
    await verified(factory, owner, curator, renewed["id"], 400)
    # First seen by a sweep after its date (the worker was down): too late to warn.
    await verified(factory, owner, curator, late["id"], 5)
    await verified(factory, owner, curator, due["id"], 20)
    with days_pass(6):
        await worker_pass(factory)
    assert [w["product_id"] for w in await warnings(client, owner)] == [due["id"]]


async def test_two_sweeps_at_once_warn_once(factory: Factory, app: FastAPI) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.product(owner)
    types = ("halal", "food_registration", "sni", "bpom_cosmetic")
    for days, doc_type in enumerate(types):
        await verified(factory, owner, curator, product["id"], 25 + days, doc_type)
    # One sweep has marked them and not yet committed when another starts.
    async with app.state.sessionmaker() as session, session.begin():
        first = await sweep(session, clock.today())
        second = asyncio.ensure_future(sweeper(app).run_once())
        await asyncio.sleep(0.2)  # it waits (SQLite) or skips the locked rows (PostgreSQL)
    counts = [first, await second]
    async with app.state.sessionmaker() as session:
        written = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == EXPIRING)
        )
    assert counts == [len(types), 0] and written == len(types)
