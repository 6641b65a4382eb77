"""The bench's PostgreSQL database: made and seeded once, reused while its size is asked.

A database the bench made carries a comment, `kurasi-bench {"listings": N, ...}`, written
when it is created (listings null) and again once the seed is done. A later run asking for
the same N reuses it (seeding 1,000,000 listings takes minutes); `--reseed` drops and
seeds it anew, and so does a run asking for another N. A database without the comment is
never dropped unless `--reseed` says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

KURASI = Path(sys.executable).parent / "kurasi"
MARK = "kurasi-bench "


def kurasi(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(KURASI), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _split(database_url: str) -> tuple[str, str]:
    base, _, name = database_url.rpartition("/")
    return f"{base}/postgres", name


def _mark(database_url: str) -> dict[str, Any] | None:
    """The bench's comment on the database; None when there is no such database, {} when
    it has no comment of the bench."""
    server, name = _split(database_url)
    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    if row is None:
        return None
    comment = row[0] or ""
    return json.loads(comment[len(MARK) :]) if comment.startswith(MARK) else {}


def _set_mark(database_url: str, mark: dict[str, Any]) -> None:
    server, name = _split(database_url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(MARK + json.dumps(mark))
            )
        )


def ensure(database_url: str, listings: int, reseed: bool, env: dict[str, str]) -> dict[str, Any]:
    """The database seeded with the demo data and `listings` generated listings: reused
    when it already is, else made anew. Its schema is upgraded either way."""
    mark = _mark(database_url)
    if mark is not None and not reseed:
        if mark.get("listings") == listings:
            kurasi(env, "db", "upgrade")
            return {**mark, "reused": True}
        if not mark:
            raise SystemExit(
                f"{database_url} exists and was not made by the bench: "
                "pass --reseed to drop it and seed it anew, or choose another database"
            )
    server, name = _split(database_url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _set_mark(database_url, {"listings": None})
    kurasi(env, "db", "upgrade")
    kurasi(env, "demo", "seed")
    started = time.monotonic()
    kurasi(env, "demo", "seed", "--products", str(listings))
    seeded = {"listings": listings, "seconds": round(time.monotonic() - started, 1)}
    _set_mark(database_url, seeded)
    return {**seeded, "reused": False}


def size(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        whole = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        catalog = conn.execute(
            "SELECT pg_total_relation_size('catalog_entries') + "
            "pg_total_relation_size('catalog_certifications') + "
            "pg_total_relation_size('catalog_channels')"
        ).fetchone()
    assert whole is not None and catalog is not None
    return {"database_bytes": int(whole[0]), "catalog_bytes": int(catalog[0])}


def seed(database_url: str, listings: int, env: dict[str, str]) -> dict[str, Any]:
    """The database made anew and seeded, whatever it held."""
    return ensure(database_url, listings, True, env)
