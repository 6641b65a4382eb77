"""Concurrent conflicting requests (SPEC §3, §4): exactly one wins, the rest get 409 (or 412).

The requests run at once through one ASGI app, each with its own database session, so
the database — SQLite or PostgreSQL — decides the race.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.catalog.sync import sync
from app.fx.service import reprice
from tests.factories import Actor, Factory, coffee

N = 8


async def _trail(client: httpx.AsyncClient, actor: Actor, pid: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/v1/products/{pid}/transitions", headers=actor.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def _reviews(client: httpx.AsyncClient, actor: Actor, pid: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/v1/products/{pid}/reviews", headers=actor.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _codes(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


async def test_parallel_submits_let_exactly_one_through(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.ready_product(owner)
    pid = product["id"]
    responses = await asyncio.gather(*(factory.transition(owner, pid, "submit") for _ in range(N)))
    assert _codes(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["status"] == "submitted"

    after = await factory.get_product(owner, pid)
    assert after["status"] == "submitted"
    assert after["version"] == product["version"] + 1
    trail = await _trail(client, owner, pid)
    assert [(t["action"], t["from_status"], t["to_status"]) for t in trail] == [
        ("submit", "draft", "submitted")
    ]


async def test_parallel_start_reviews_create_one_review(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    curators = [await factory.curator() for _ in range(N)]
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    responses = await asyncio.gather(
        *(factory.transition(c, pid, "start_review") for c in curators)
    )
    assert _codes(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    winner = curators[next(i for i, r in enumerate(responses) if r.status_code == 200)]

    reviews = await _reviews(client, owner, pid)
    assert [r["curator_id"] for r in reviews] == [winner.id]
    trail = await _trail(client, owner, pid)
    assert [(t["action"], t["actor_id"]) for t in trail] == [
        ("submit", owner.id),
        ("start_review", winner.id),
    ]


async def test_parallel_approvals_record_exactly_one_revision(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(curator, pid)
    checklist = factory.checklist(product)

    responses = await asyncio.gather(
        *(
            factory.transition(curator, pid, "approve", checklist=checklist, score=80 + i)
            for i in range(N)
        )
    )
    assert _codes(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["approved_revision"] == 1

    after = await factory.get_product(owner, pid)
    assert after["status"] == "approved"
    assert after["approved_revision"] == 1
    trail = await _trail(client, owner, pid)
    assert [t["action"] for t in trail] == ["submit", "start_review", "approve"]
    reviews = await _reviews(client, owner, pid)
    assert len(reviews) == 1 and reviews[0]["decision"] == "approve"

    # One revision only: the next approval is number 2, not N + 1.
    r = await client.patch(f"/api/v1/products/{pid}", json={"moq": 75}, headers=owner.headers)
    assert r.status_code == 200, r.text
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    r = await factory.transition(curator, pid, "approve", checklist=checklist, score=90)
    assert r.status_code == 200, r.text
    assert r.json()["approved_revision"] == 2


async def test_parallel_conflicting_decisions_let_one_through(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(curator, pid)
    checklist = factory.checklist(product)
    calls = []
    for i in range(N):
        if i % 3 == 0:
            calls.append(factory.transition(curator, pid, "approve", checklist=checklist))
        elif i % 3 == 1:
            calls.append(factory.transition(curator, pid, "reject", comment="no"))
        else:
            calls.append(factory.transition(curator, pid, "request_changes", comment="fix"))
    responses = await asyncio.gather(*calls)
    assert _codes(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    status = next(r for r in responses if r.status_code == 200).json()["status"]
    assert (await factory.get_product(owner, pid))["status"] == status
    trail = await _trail(client, owner, pid)
    assert len(trail) == 3 and trail[-1]["to_status"] == status
    reviews = await _reviews(client, owner, pid)
    assert len(reviews) == 1 and reviews[0]["decision"] is not None


async def test_withdraw_racing_start_review(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    withdraw, review = await asyncio.gather(
        factory.transition(owner, pid, "withdraw"),
        factory.transition(curator, pid, "start_review"),
    )
    assert sorted([withdraw.status_code, review.status_code]) == [200, 409], (
        withdraw.text,
        review.text,
    )
    status = (await factory.get_product(owner, pid))["status"]
    assert status == ("draft" if withdraw.status_code == 200 else "in_review")
    assert len(await _trail(client, owner, pid)) == 2
    assert len(await _reviews(client, owner, pid)) == (1 if review.status_code == 200 else 0)


async def test_parallel_patches_with_the_same_if_match(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}"
    got = await client.get(url, headers=owner.headers)
    etag = got.headers["ETag"]
    responses = await asyncio.gather(
        *(
            client.patch(
                url,
                json={"moq": 100 + i, "packaging": f"Packaging {i}"},
                headers={**owner.headers, "If-Match": etag},
            )
            for i in range(N)
        )
    )
    codes = _codes(responses)
    assert codes[200] == 1, [r.text for r in responses]
    assert set(codes) <= {200, 409, 412}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200)

    after = await client.get(url, headers=owner.headers)
    assert after.json()["version"] == got.json()["version"] + 1
    assert after.json()["moq"] == winner.json()["moq"]
    assert after.json()["packaging"] == winner.json()["packaging"]
    assert after.headers["ETag"] == winner.headers["ETag"] != etag


async def test_parallel_edits_of_an_approved_product_start_one_revision(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.approved_product(owner, curator)
    url = f"/api/v1/products/{product['id']}"
    etag = (await client.get(url, headers=owner.headers)).headers["ETag"]
    responses = await asyncio.gather(
        *(
            client.patch(url, json={"moq": 200 + i}, headers={**owner.headers, "If-Match": etag})
            for i in range(N)
        )
    )
    codes = _codes(responses)
    assert codes[200] == 1, [r.text for r in responses]
    assert set(codes) <= {200, 409, 412}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200)
    after = await factory.get_product(owner, product["id"])
    assert after["status"] == "draft" and after["moq"] == winner.json()["moq"]
    assert after["approved_revision"] == 1
    trail = await _trail(client, owner, product["id"])
    assert [t["action"] for t in trail].count("edit") == 1


async def test_parallel_retries_with_one_idempotency_key_create_one_product(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = {"msme_id": msme["id"], **coffee()}
    headers = {**owner.headers, "Idempotency-Key": "parallel-create"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/products", json=body, headers=headers) for _ in range(N))
    )
    codes = _codes(responses)
    assert codes[201] >= 1 and set(codes) <= {201, 409}, [r.text for r in responses]
    ids = {r.json()["id"] for r in responses if r.status_code == 201}
    listed = await client.get("/api/v1/products", headers=owner.headers)
    assert [p["id"] for p in listed.json()["items"]] == list(ids)
    # Once the first call is done, a retry gets the first response.
    retry = await client.post("/api/v1/products", json=body, headers=headers)
    assert retry.status_code == 201 and retry.json()["id"] in ids


async def test_parallel_publications_all_reach_the_catalog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """Listings of different products at once: each shows, and the facets count them all
    (the check after every test compares the catalog tables with a rebuild)."""
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin)
    products = [await factory.approved_product(owner, curator) for _ in range(4)]
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/channels/tokyo-msme-center/listings",
                json={"product_id": p["id"]},
                headers=admin.headers,
            )
            for p in products
        )
    )
    assert _codes(responses) == {201: 4}
    page = (await client.get("/api/v1/catalog/products")).json()
    assert {f["value"]: f["count"] for f in page["facets"]["category"]} == {"coffee": 4}
    assert {i["id"] for i in page["items"]} == {p["id"] for p in products}


async def test_catalog_writes_of_different_products_do_not_wait_for_each_other(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    """No lock is shared by the catalog rows of two products: a write to one commits while
    a write to another is still open."""
    if app.state.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time by design (transactions begin IMMEDIATE)")
    first, _ = await factory.published_product()
    second, _ = await factory.published_product()
    sessions = app.state.sessionmaker
    async with sessions() as slow, sessions() as fast:
        await sync(slow, [uuid.UUID(first["id"])])  # its transaction stays open
        await asyncio.wait_for(sync(fast, [uuid.UUID(second["id"])]), 5)
        await asyncio.wait_for(fast.commit(), 5)
        await slow.commit()


async def test_a_reprice_and_a_write_of_one_of_its_products_take_turns(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    """A new FX rate re-prices the catalog rows of every product priced in it while a
    curator's write brings one of them up to date: they lock the same rows in the same
    order, so one waits for the other rather than each for the other (a deadlock)."""
    product, _ = await factory.published_product()  # priced in IDR
    pid = uuid.UUID(product["id"])
    sessions = app.state.sessionmaker
    for first_reprices in (True, False):
        async with sessions() as repricer, sessions() as writer:
            first, second = (repricer, writer) if first_reprices else (writer, repricer)
            steps = {
                repricer: lambda: reprice(repricer, "IDR"),
                writer: lambda: sync(writer, [pid]),
            }
            await steps[first]()
            waiting = asyncio.create_task(steps[second]())
            await asyncio.sleep(0.3)  # on PostgreSQL the second waits for the first's rows
            await asyncio.wait_for(first.commit(), 10)
            await asyncio.wait_for(waiting, 10)
            await second.commit()


async def test_more_catalog_requests_at_once_than_the_pools_hold_all_answer(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    """On PostgreSQL a catalog page counts its facets on a second connection from a pool of
    its own while its session reads the page; with many more requests than connections,
    none waits for ever on a connection that another waiting request holds."""
    await factory.published_product()
    requests = [{"limit": 1 + i % 40, "max_moq": 1000 + i} for i in range(60)]
    responses = await asyncio.wait_for(
        asyncio.gather(*(client.get("/api/v1/catalog/products", params=p) for p in requests)),
        60,
    )
    assert _codes(responses) == {200: 60}
    assert {r.json()["facets"]["category"][0]["count"] for r in responses} == {1}


async def test_a_failed_page_leaves_no_facet_count_running(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    """A page that fails after its facet count started (a cursor of another list) answers
    its 422, and the count's connection is back in its pool."""
    await factory.published_product()
    await factory.published_product()
    first = (await client.get("/api/v1/catalog/products", params={"limit": 1})).json()
    r = await client.get(
        "/api/v1/catalog/products",
        params={"limit": 1, "sort": "price_asc", "cursor": first["next_cursor"]},
    )
    assert r.status_code == 422, r.text
    side = app.state.side_sessions
    if side is not None:
        assert side.kw["bind"].pool.checkedout() == 0


WRITERS = 16


async def test_sixteen_concurrent_writers_all_succeed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """16 owners write at once (a product each, then an edit of an MSME each): every
    request answers as if alone. On SQLite writers queue (BEGIN IMMEDIATE, busy timeout)
    instead of failing with "database is locked"."""
    owners = [await factory.owner() for _ in range(WRITERS)]
    msmes = [await factory.msme(owner) for owner in owners]
    created = await asyncio.gather(
        *(
            client.post(
                "/api/v1/products",
                headers=owner.headers,
                json={"msme_id": msme["id"], **coffee(sku=f"SKU-{i}")},
            )
            for i, (owner, msme) in enumerate(zip(owners, msmes, strict=True))
        )
    )
    assert _codes(created) == {201: WRITERS}, [r.text for r in created if r.status_code != 201]
    edited = await asyncio.gather(
        *(
            client.patch(
                f"/api/v1/msmes/{msme['id']}", headers=owner.headers, json={"employees": i + 1}
            )
            for i, (owner, msme) in enumerate(zip(owners, msmes, strict=True))
        )
    )
    assert _codes(edited) == {200: WRITERS}, [r.text for r in edited if r.status_code != 200]
    for i, (owner, msme) in enumerate(zip(owners, msmes, strict=True)):
        page = (await client.get("/api/v1/products", headers=owner.headers)).json()
        assert [p["sku"] for p in page["items"]] == [f"SKU-{i}"]
        r = await client.get(f"/api/v1/msmes/{msme['id']}", headers=owner.headers)
        assert r.json()["employees"] == i + 1
