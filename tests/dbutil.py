"""Scratch databases for tests that need a database of their own (migrations, the CLI).

They follow the suite's backend: a new SQLite file in a temporary folder by default, or,
when `KURASI_TEST_DATABASE_URL` is a PostgreSQL URL, a new database `<prefix>_<random>` on
that server, dropped WITH (FORCE) afterwards. The suite's own database is never touched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import Engine, create_engine, inspect, text

from app.config import sync_database_url


def backend() -> str:
    """`sqlite` or `postgresql`: the database the suite is pointed at."""
    configured = os.environ.get("KURASI_TEST_DATABASE_URL", "")
    return "postgresql" if configured.split(":", 1)[0].startswith("postgres") else "sqlite"


def _plain(url: str) -> str:
    """`postgresql+psycopg://...` -> `postgresql://...` (what users put in KURASI_DATABASE_URL)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


@contextmanager
def scratch_database(folder: Path, prefix: str = "kurasi_scratch") -> Iterator[str]:
    """Yield the plain URL of a new, empty database; drop it afterwards."""
    if backend() == "sqlite":
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    base = _plain(os.environ["KURASI_TEST_DATABASE_URL"]).rpartition("/")[0]
    maintenance = f"{base}/postgres"
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def sync_engine(url: str) -> Iterator[Engine]:
    engine = create_engine(sync_database_url(url))
    try:
        yield engine
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    with sync_engine(url) as engine:
        return set(inspect(engine).get_table_names())


def scalar(url: str, sql: str, **params: object) -> object:
    with sync_engine(url) as engine, engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(url: str, sql: str, **params: object) -> list[dict[str, object]]:
    with sync_engine(url) as engine, engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]
