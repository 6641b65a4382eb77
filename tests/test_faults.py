"""Faults of the database and the storage: 503 problem+json within the timeouts, /readyz
says what failed, nothing half-written, and the service recovers by itself.

The outages happen to a database of the test's own (never the suite's): on PostgreSQL it
refuses connections and its sessions are killed, or a table is locked past the statement
timeout; on SQLite the database file cannot be opened.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.config import Settings
from app.core.migrate import upgrade
from app.main import create_app
from tests.conftest import TEST_SECRET
from tests.dbutil import backend, scalar, scratch_database
from tests.factories import Factory

on_postgresql = pytest.mark.skipif(backend() == "sqlite", reason="a PostgreSQL outage")
STATEMENT_MS = 400


def fault_settings(url: str, folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": url,
        "secret_key": TEST_SECRET,
        "storage_dir": folder / "storage",
        "run_worker": False,
        "catalog_cache_seconds": 0,
        "db_connect_timeout": 2,
        "db_statement_timeout": STATEMENT_MS,
        "db_pool_timeout": 2,
        **overrides,
    }
    return Settings.model_validate(values)


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield app, c


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[str]:
    with scratch_database(tmp_path, "kurasi_fault") as url:
        upgrade(url)
        yield url


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the server's maintenance database, beside the app's."""
    return psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True)


@contextmanager
def database_down(url: str) -> Iterator[None]:
    """The database refuses new connections and loses its open ones, then comes back."""
    name = url.rpartition("/")[2]
    with _admin(url) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def assert_database_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "5"
    body = r.json()
    assert body["type"] == "https://kurasi.id/problems/unavailable"
    assert "database" in body["detail"]
    for leak in ("SELECT", "INSERT", "psycopg", "sqlalchemy", "Traceback"):
        assert leak not in r.text


@on_postgresql
async def test_database_down_answers_503_fast_and_recovers_by_itself(
    own_database: str, tmp_path: Path
) -> None:
    async with serving(fault_settings(own_database, tmp_path)) as (app, client):
        factory = Factory(client, app)
        owner = await factory.owner()
        assert (await client.get("/api/v1/users/me", headers=owner.headers)).status_code == 200
        msme = await factory.msme(owner)

        with database_down(own_database):
            started = time.monotonic()
            assert_database_unavailable(await client.get("/api/v1/users/me", headers=owner.headers))
            assert_database_unavailable(
                await client.post(
                    "/api/v1/products",
                    headers=owner.headers,
                    json={"msme_id": msme["id"], "category": "coffee"},
                )
            )
            ready = await client.get("/readyz")
            assert time.monotonic() - started < 5
            assert ready.status_code == 503, ready.text
            assert ready.headers["content-type"] == "application/problem+json"
            assert ready.json()["detail"] == "Not ready: the database did not answer."
            assert ready.json()["checks"] == {"database": "unavailable", "storage": "ok"}
            health = await client.get("/healthz")
            assert (health.status_code, health.json()) == (200, {"status": "ok"})

        # Back: the pool replaces its dead connections, no restart.
        r = await client.get("/api/v1/users/me", headers=owner.headers)
        assert r.status_code == 200, r.text
        assert r.json()["email"] == owner.email
        ready = await client.get("/readyz")
        assert ready.json() == {"status": "ok", "database": "ok", "storage": "ok"}


@on_postgresql
async def test_a_statement_past_the_timeout_is_503_and_writes_nothing(
    own_database: str, tmp_path: Path
) -> None:
    async with serving(fault_settings(own_database, tmp_path)) as (app, client):
        factory = Factory(client, app)
        owner = await factory.owner()
        product = await factory.ready_product(owner)
        pid = product["id"]
        # The submit updates the product, adds to the audit trail, and at its commit records
        # an event: the event table is locked, so the commit waits past the timeout.
        with psycopg.connect(own_database) as locker:
            locker.execute("LOCK TABLE outbox_events IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            r = await factory.transition(owner, pid, "submit")
            elapsed = time.monotonic() - started
            locker.rollback()
        assert_database_unavailable(r)
        assert STATEMENT_MS / 1000 <= elapsed < 5

        after = await factory.get_product(owner, pid)
        assert (after["status"], after["version"]) == ("draft", product["version"])
        trail = "SELECT count(*) FROM transitions WHERE product_id = :pid"
        assert scalar(own_database, trail, pid=pid) == 0
        assert scalar(own_database, "SELECT count(*) FROM outbox_events") == 0

        r = await factory.transition(owner, pid, "submit")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "submitted"
        assert scalar(own_database, trail, pid=pid) == 1


async def test_a_database_that_cannot_be_opened_is_503_everywhere_but_healthz(
    tmp_path: Path,
) -> None:
    """A database that is not there answers as one that is down (checked on SQLite, where a
    folder in place of the database file cannot be opened; on PostgreSQL, above)."""
    if backend() != "sqlite":
        pytest.skip("the PostgreSQL outages are the tests above")
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    async with serving(fault_settings(f"sqlite:///{folder}", tmp_path)) as (_, client):
        r = await client.post(
            "/api/v1/auth/token", data={"username": "a@example.com", "password": "x" * 12}
        )
        assert_database_unavailable(r)
        assert_database_unavailable(await client.get("/api/v1/catalog/products"))
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {"database": "unavailable", "storage": "ok"}
        assert (await client.get("/healthz")).json() == {"status": "ok"}


async def test_readyz_names_the_storage_when_it_cannot_be_written(
    database_url: str, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings = fault_settings(database_url, tmp_path, storage_dir=blocked / "storage")
    async with serving(settings) as (_, client):
        r = await client.get("/readyz")
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "5"
        assert r.json()["detail"] == "Not ready: the storage did not answer."
        assert r.json()["checks"] == {"database": "ok", "storage": "unavailable"}


@pytest.mark.parametrize("store", ["refusing", "silent"])
async def test_readyz_names_the_storage_when_s3_is_down_within_its_timeout(
    database_url: str, tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An S3 endpoint that refuses connections, or accepts them and never answers."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "kurasi-test")  # credentials: the store is asked
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "kurasi-test-secret")
    with socket.create_server(("127.0.0.1", 0), backlog=8) as listener:
        port = listener.getsockname()[1]
        if store == "refusing":
            listener.close()
        settings = fault_settings(
            database_url,
            tmp_path,
            storage="s3",
            s3_bucket="kurasi",
            s3_region="us-east-1",
            s3_endpoint_url=f"http://127.0.0.1:{port}",
            db_connect_timeout=1,  # /readyz gives each check this + 1 s
        )
        async with serving(settings) as (_, client):
            started = time.monotonic()
            r = await client.get("/readyz")
            elapsed = time.monotonic() - started
    assert r.status_code == 503, r.text
    assert r.json()["detail"] == "Not ready: the storage did not answer."
    assert r.json()["checks"] == {"database": "ok", "storage": "unavailable"}
    assert elapsed < 3.5, elapsed


async def test_readyz_and_healthz_when_all_is_well(client: httpx.AsyncClient) -> None:
    r = await client.get("/readyz")
    assert (r.status_code, r.json()) == (
        200,
        {"status": "ok", "database": "ok", "storage": "ok"},
    )
    r = await client.get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("SELECT 1", {}, Exception("server closed the connection")), 503),
        (InterfaceError("SELECT 1", {}, Exception("connection already closed")), 503),
        (PoolTimeout("QueuePool limit of size 5 overflow 10 reached"), 503),
        (IntegrityError("INSERT INTO users", {}, Exception("duplicate key")), 500),
    ],
)
async def test_an_outage_is_503_a_bug_stays_500_and_neither_shows_sql(
    settings: Settings, error: Exception, status: int
) -> None:
    app = create_app(settings)

    @app.get("/api/v1/_fail")
    async def fail() -> None:
        raise error

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        r = await c.get("/api/v1/_fail")
    if status == 503:
        assert_database_unavailable(r)
    else:
        assert (r.status_code, r.json()["type"]) == (500, "https://kurasi.id/problems/internal")
        assert "INSERT" not in r.text and "duplicate" not in r.text
    # Outside the error middleware, the security headers are on these too.
    assert r.headers["x-content-type-options"] == "nosniff"
