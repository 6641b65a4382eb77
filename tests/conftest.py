"""Test fixtures: a database made from the migrations, the app over HTTP, and factories.

`KURASI_TEST_DATABASE_URL=postgresql://user@host:port/db` runs the suite on PostgreSQL in a
database of its own, created here and dropped at the end; the default is a SQLite file
in a temporary folder. Every test starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, select, text

from app.catalog.sync import current_certifications, current_channels, rebuild
from app.config import Settings, sync_database_url
from app.core import clock
from app.core.migrate import upgrade
from app.main import create_app
from app.models import Base, CatalogCertification, CatalogChannel, CatalogEntry
from tests.factories import Factory

TEST_SECRET = "kurasi-test-secret-key-0123456789abcdef"

# The longest files first: pytest-xdist hands tests out in order, so a long one taken last
# would leave the other process idle while it runs (`make pytest` runs two).
LONGEST_FIRST = ("test_fuzzing.py", "test_readme.py", "test_cli.py", "test_shutdown.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


def _server_url(url: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, base URL without a database name)."""
    base, _, _ = url.rpartition("/")
    return f"{base}/postgres", base


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("KURASI_TEST_DATABASE_URL")
    if not configured or configured.startswith("sqlite"):
        path = tmp_path_factory.mktemp("db") / "kurasi-test.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url
        return
    maintenance, base = _server_url(configured)
    name = f"kurasi_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin_dsn = maintenance.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        storage="local",
        storage_dir=tmp_path_factory.mktemp("storage"),
        catalog_cache_seconds=0,
        run_worker=False,  # tests run the worker themselves (Factory.drain)
    )


@pytest.fixture(scope="session")
def sync_engine(database_url: str) -> Iterator[Engine]:
    """A plain engine on the test database, for set-up and checks beside the app's."""
    engine = create_engine(sync_database_url(database_url))
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def _catalog_drift(engine: Engine) -> list[str]:
    """Rows of the catalog tables that a full rebuild would change (should be none).

    An entry's certifications and channels are compared as a reader sees them today: the
    keys written on an earlier day (a test lets days pass) may lawfully differ from
    today's while `sets_until` says they are read again.
    """
    dialect = engine.dialect.name
    today = clock.today()
    entry = [
        c
        for c in CatalogEntry.__table__.c
        if c.name not in ("certifications", "channels", "sets_until")
    ]
    queries = {
        "entry": select(
            *entry,
            current_certifications(today, dialect),
            current_channels(today, dialect),
        ),
        "certification": select(CatalogCertification.__table__),
        "channel": select(CatalogChannel.__table__),
    }

    def rows() -> set[tuple[object, ...]]:
        return {(name, *map(str, r)) for name, q in queries.items() for r in conn.execute(q)}

    with engine.connect() as conn:
        kept = rows()
        rebuild(conn)
        rebuilt = rows()
        conn.rollback()
    return [f"kept {r}" for r in kept - rebuilt] + [f"rebuilt {r}" for r in rebuilt - kept]


@pytest.fixture
async def client(app: FastAPI, sync_engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    _truncate(sync_engine)
    await app.state.limits.reset()  # every test starts with no request counted
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
    # Every write the test made kept the catalog tables as a rebuild would have them.
    assert _catalog_drift(sync_engine) == []


@pytest.fixture
def factory(client: httpx.AsyncClient, app: FastAPI) -> Factory:
    return Factory(client, app)


@pytest.fixture
def storage_dir(settings: Settings) -> Path:
    return settings.storage_dir
