"""Abuse limits: logins, registrations, inquiries, submissions and upload starts answer 429
past their limit, with the headers that say when to come back, and write nothing.

Each test runs on both counter stores: this process's memory, and Redis (skipped only
when no Redis answers at KURASI_TEST_REDIS_URL, default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import redis
from fastapi import FastAPI
from sqlalchemy import func, select

from app.config import Settings
from app.core.ratelimit import Limits
from app.models import AuthSession, Document, Inquiry, User
from tests.factories import Factory
from tests.test_auth import assert_problem, login, registration
from tests.test_inquiries import ask
from tests.test_uploads import start_document, start_media

REDIS_URL = os.environ.get("KURASI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SMALL = {
    "login_limit_per_account": "3/minute",
    "login_limit_per_address": "8/minute",
    "registration_limit_per_address": "2/hour",
    "inquiry_limit_per_buyer": "2/day",
    "submission_limit_per_owner": "1/day",
    "upload_limit_per_owner": "2/hour",
}


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def small_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    update: dict[str, Any] = dict(SMALL)
    if request.param == "redis":
        if not redis_answers():
            pytest.skip(f"no Redis at {REDIS_URL}")
        update |= {"redis_url": REDIS_URL, "rate_limit_prefix": f"kurasi-test-{uuid.uuid4().hex}"}
    return settings.model_copy(update=update)


@pytest.fixture
async def limits(
    app: FastAPI, client: httpx.AsyncClient, small_settings: Settings
) -> AsyncIterator[Limits]:
    """The app's limits, small, for the test; the test's own Redis keys are removed after."""
    kept = app.state.limits
    app.state.limits = Limits.from_settings(small_settings)
    try:
        yield app.state.limits
    finally:
        await app.state.limits.reset()
        app.state.limits = kept


async def count(app: FastAPI, model: type[Any]) -> int:
    async with app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def assert_limited(r: httpx.Response, name: str, quota: int, window: int) -> None:
    problem = assert_problem(r, 429)
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= window
    assert r.headers["RateLimit-Policy"] == f'"{name}";q={quota};w={window}'
    assert r.headers["RateLimit"] == f'"{name}";r=0;t={wait}'
    assert re.search(rf"\({quota} per \w+\)", problem["detail"]), problem["detail"]


async def test_logins_per_account(
    client: httpx.AsyncClient, factory: Factory, limits: Limits, app: FastAPI
) -> None:
    owner = await factory.owner()
    for _ in range(3):
        assert_problem(await login(client, owner.email, "wrong-password-123"), 401)
    sessions = await count(app, AuthSession)
    # Even the right password waits now, and no session is started.
    assert_limited(await login(client, owner.email), "login-account", 3, 60)
    assert await count(app, AuthSession) == sessions
    # Counted by account whatever the case of the email; another account is not affected.
    assert_limited(await login(client, owner.email.upper()), "login-account", 3, 60)
    assert (await login(client, (await factory.buyer()).email)).status_code == 200


async def test_logins_per_address_across_accounts(
    client: httpx.AsyncClient, limits: Limits
) -> None:
    for i in range(8):
        assert_problem(await login(client, f"guess-{i}@example.com"), 401)
    assert_limited(await login(client, "guess-9@example.com"), "login-address", 8, 60)


async def test_registrations_per_address(
    client: httpx.AsyncClient, limits: Limits, app: FastAPI
) -> None:
    for _ in range(2):
        r = await client.post("/api/v1/auth/register", json=registration())
        assert r.status_code == 201, r.text
    body = registration()
    r = await client.post("/api/v1/auth/register", json=body)
    assert_limited(r, "register-address", 2, 3600)
    assert await count(app, User) == 2
    assert (await login(client, body["email"])).status_code == 401


async def test_inquiries_per_buyer_and_replays_do_not_count(
    client: httpx.AsyncClient, factory: Factory, limits: Limits, app: FastAPI
) -> None:
    product, _ = await factory.published_product()
    buyer = await factory.buyer()
    key = {"Idempotency-Key": "ask-1"}
    first = await client.post(
        f"/api/v1/catalog/products/{product['id']}/inquiries",
        json={"quantity": 200, "message": "Samples?"},
        headers={**buyer.headers, **key},
    )
    assert first.status_code == 201, first.text
    replay = await client.post(
        f"/api/v1/catalog/products/{product['id']}/inquiries",
        json={"quantity": 200, "message": "Samples?"},
        headers={**buyer.headers, **key},
    )
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert (await ask(client, buyer, product["id"])).status_code == 201
    assert_limited(await ask(client, buyer, product["id"]), "inquiry-buyer", 2, 86400)
    assert await count(app, Inquiry) == 2
    # The limit is the buyer's own.
    assert (await ask(client, await factory.buyer(), product["id"])).status_code == 201


async def test_submissions_per_owner(
    client: httpx.AsyncClient, factory: Factory, limits: Limits
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    first = await factory.ready_product(owner, msme["id"])
    second = await factory.ready_product(owner, msme["id"])
    assert (await factory.transition(owner, first["id"], "submit")).status_code == 200
    assert_limited(
        await factory.transition(owner, second["id"], "submit"), "submit-owner", 1, 86400
    )
    assert (await factory.get_product(owner, second["id"]))["status"] == "draft"
    # Other transitions are not submissions.
    assert (await factory.transition(owner, first["id"], "withdraw")).status_code == 200


async def test_upload_starts_per_owner_across_media_and_documents(
    client: httpx.AsyncClient, factory: Factory, limits: Limits, app: FastAPI
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    key = {"Idempotency-Key": "lab-1"}
    body = {
        "doc_type": "lab_test",
        "number": "LAB-1",
        "issuer": "Sucofindo",
        "issued_on": "2026-11-01",
        "filename": "lab.pdf",
        "content_type": "application/pdf",
        "size": 1000,
    }
    url = f"/api/v1/products/{product['id']}/documents"
    for _ in range(2):  # the second is a replay: counted once
        r = await client.post(url, json=body, headers={**owner.headers, **key})
        assert r.status_code == 201, r.text
    assert (await start_media(client, owner, product["id"], size=1000)).status_code == 201
    documents = await count(app, Document)
    assert_limited(
        await start_document(client, owner, product["id"], size=1000), "upload-owner", 2, 3600
    )
    r = await client.post(
        f"/api/v1/msmes/{product['msme_id']}/documents",
        json={**body, "doc_type": "nib", "number": "8120001234567"},
        headers=owner.headers,
    )
    assert_limited(r, "upload-owner", 2, 3600)
    assert_limited(
        await start_media(client, owner, product["id"], size=1000), "upload-owner", 2, 3600
    )
    assert await count(app, Document) == documents


async def test_counters_are_shared_by_processes_with_redis(small_settings: Settings) -> None:
    """Two workers (two Limits on one Redis) count together; in memory each its own."""
    one, other = Limits.from_settings(small_settings), Limits.from_settings(small_settings)
    try:
        for _ in range(2):
            await one.hit("inquiry-buyer", "buyer-1")
        if small_settings.redis_url is None:
            await other.hit("inquiry-buyer", "buyer-1")  # a count of its own
        else:
            with pytest.raises(Exception, match="Too many requests"):
                await other.hit("inquiry-buyer", "buyer-1")
    finally:
        await one.reset()


async def test_an_unreachable_redis_does_not_stop_logins(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, settings: Settings
) -> None:
    kept = app.state.limits
    app.state.limits = Limits.from_settings(
        settings.model_copy(update={**SMALL, "redis_url": "redis://127.0.0.1:1/0"})
    )
    try:
        owner = await factory.owner()
        for _ in range(4):  # over the limit, but nothing can count: the API goes on
            assert (await login(client, owner.email)).status_code == 200
    finally:
        app.state.limits = kept
