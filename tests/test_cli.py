"""The `kurasi` command, run for real as a subprocess against scratch databases.

Each database here is a scratch one (SQLite, or PostgreSQL when the suite runs there);
settings reach the command only through `KURASI_` environment variables, as in production.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.config import Settings
from app.core import clock
from app.core.migrate import upgrade
from app.demo import data
from app.demo.suppliers import SUPPLIERS
from app.main import create_app
from app.models import Base
from tests.dbutil import rows, scalar, scratch_database, sync_engine, table_names

KURASI = Path(sys.executable).parent / "kurasi"
SECRET = "kurasi-cli-test-secret-0123456789abcdef"
TIMEOUT = 60
TOKYO, JCC = "tokyo-msme-center", "jcc-export-expo"


def cli_env(database_url: str, storage_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KURASI_")}
    env.update(
        KURASI_DATABASE_URL=database_url,
        KURASI_STORAGE="local",
        KURASI_STORAGE_DIR=str(storage_dir),
        KURASI_SECRET_KEY=SECRET,
    )
    return env


def kurasi(
    *args: str, database_url: str, storage_dir: Path, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run `kurasi ...` outside the source folder, with its input closed (no prompts)."""
    return subprocess.run(
        [str(KURASI), *args],
        env=cli_env(database_url, storage_dir),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@dataclass
class Db:
    url: str
    storage_dir: Path
    cwd: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return kurasi(*args, database_url=self.url, storage_dir=self.storage_dir, cwd=self.cwd)


def make_db(folder: Path, url: str) -> Db:
    (folder / "storage").mkdir(exist_ok=True)
    (folder / "cwd").mkdir(exist_ok=True)
    return Db(url, folder / "storage", folder / "cwd")


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Db]:
    with scratch_database(tmp_path, "kurasi_cli") as url:
        yield make_db(tmp_path, url)


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Db]:
    folder = tmp_path_factory.mktemp("cli-users")
    with scratch_database(folder, "kurasi_cli") as url:
        upgrade(url)
        yield make_db(folder, url)


# -- db upgrade -----------------------------------------------------------------------


def test_db_upgrade_builds_the_schema_and_is_repeatable(empty_db: Db) -> None:
    result = empty_db.run("db", "upgrade")
    assert result.returncode == 0, explain(result)
    assert set(Base.metadata.tables) <= table_names(empty_db.url)

    again = empty_db.run("db", "upgrade")
    assert again.returncode == 0, explain(again)


# -- users create ---------------------------------------------------------------------


def users_with_email(db: Db, email: str) -> list[dict[str, object]]:
    return rows(
        db.url,
        "SELECT email, role, full_name, is_active FROM users WHERE lower(email) = :email",
        email=email.lower(),
    )


async def login(db: Db, email: str, password: str) -> httpx.Response:
    settings = Settings(
        environment="test",
        database_url=db.url,
        secret_key=SECRET,
        storage="local",
        storage_dir=db.storage_dir,
        # Only the login: the demo's pending events are test_worker_once_...'s to run.
        run_worker=False,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.post(
                "/api/v1/auth/token", data={"username": email, "password": password}
            )


async def test_users_create_makes_a_curator_who_can_log_in(migrated_db: Db) -> None:
    result = migrated_db.run(
        "users", "create",
        "--email", "Dewi.Kurator@Kurasi.Example",
        "--password", "curate-2026-long",
        "--role", "curator",
        "--full-name", "Dewi Kurator",
    )  # fmt: skip
    assert result.returncode == 0, explain(result)

    assert users_with_email(migrated_db, "dewi.kurator@kurasi.example") == [
        {
            "email": "dewi.kurator@kurasi.example",
            "role": "curator",
            "full_name": "Dewi Kurator",
            "is_active": True,
        }
    ]
    r = await login(migrated_db, "Dewi.Kurator@kurasi.example", "curate-2026-long")
    assert r.status_code == 200, r.text
    assert r.json()["access_token"]
    wrong = await login(migrated_db, "dewi.kurator@kurasi.example", "not-the-password")
    assert wrong.status_code == 401


def test_users_create_refuses_a_duplicate_email(migrated_db: Db) -> None:
    first = migrated_db.run(
        "users", "create",
        "--email", "twice@kurasi.example",
        "--password", "first-password-1",
        "--role", "admin",
        "--full-name", "First",
    )  # fmt: skip
    assert first.returncode == 0, explain(first)

    second = migrated_db.run(
        "users", "create",
        "--email", "TWICE@kurasi.example",
        "--password", "second-password-2",
        "--role", "curator",
        "--full-name", "Second",
    )  # fmt: skip
    assert second.returncode != 0, explain(second)
    assert "exists" in second.stderr.lower(), explain(second)
    assert "Traceback" not in second.stderr + second.stdout, explain(second)
    assert users_with_email(migrated_db, "twice@kurasi.example") == [
        {"email": "twice@kurasi.example", "role": "admin", "full_name": "First", "is_active": True}
    ]


def test_users_create_refuses_an_unknown_role(migrated_db: Db) -> None:
    result = migrated_db.run(
        "users", "create",
        "--email", "wizard@kurasi.example",
        "--password", "wizard-password-1",
        "--role", "wizard",
        "--full-name", "Wizard",
    )  # fmt: skip
    assert result.returncode != 0, explain(result)
    assert "role" in result.stderr.lower(), explain(result)
    assert "Traceback" not in result.stderr + result.stdout, explain(result)
    assert users_with_email(migrated_db, "wizard@kurasi.example") == []


@pytest.mark.parametrize("password", ["kurasi-2026", "qwerty123456"])  # short; common
def test_users_create_refuses_a_short_or_common_password(migrated_db: Db, password: str) -> None:
    result = migrated_db.run(
        "users", "create",
        "--email", "short@kurasi.example",
        "--password", password,
        "--role", "curator",
        "--full-name", "Short",
    )  # fmt: skip
    assert result.returncode != 0, explain(result)
    assert "password" in result.stderr.lower(), explain(result)
    assert "Traceback" not in result.stderr + result.stdout, explain(result)
    assert users_with_email(migrated_db, "short@kurasi.example") == []


# -- demo seed ------------------------------------------------------------------------


@dataclass
class Seeded:
    db: Db
    first: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    folder = tmp_path_factory.mktemp("cli-demo")
    with scratch_database(folder, "kurasi_demo") as url:
        db = make_db(folder, url)
        migrated = db.run("db", "upgrade")
        assert migrated.returncode == 0, explain(migrated)
        yield Seeded(db, db.run("demo", "seed"))


def counts(url: str) -> dict[str, object]:
    tables = ("users", "msmes", "products", "listings", "documents", "media", "channels")
    return {t: scalar(url, f"SELECT count(*) FROM {t}") for t in tables}


def test_demo_seed_loads_staff_channels_and_approved_listed_products(seeded: Seeded) -> None:
    result, url = seeded.first, seeded.db.url
    assert result.returncode == 0, explain(result)
    for email in ("admin@kurasi.example", "curator@kurasi.example"):
        assert email in result.stdout and data.PASSWORDS[email] in result.stdout, explain(result)

    staff = rows(url, "SELECT email, role FROM users WHERE role IN ('admin', 'curator')")
    assert {(r["email"], r["role"]) for r in staff} == {
        ("admin@kurasi.example", "admin"),
        ("curator@kurasi.example", "curator"),
    }
    channels = {r["code"] for r in rows(url, "SELECT code FROM channels")}
    assert {TOKYO, JCC} <= channels

    products = rows(url, "SELECT id, status FROM products")
    assert len(products) == 17 + len(SUPPLIERS)
    assert {r["status"] for r in products} == {"approved"}
    unlisted = rows(
        url,
        "SELECT p.id FROM products p WHERE NOT EXISTS (SELECT 1 FROM listings l "
        "JOIN channels c ON c.id = l.channel_id WHERE l.product_id = p.id AND c.code = :code)",
        code=TOKYO,
    )
    assert unlisted == [], "every demo product is listed at the Tokyo MSME center"
    at_jcc = scalar(
        url,
        "SELECT count(*) FROM listings l JOIN channels c ON c.id = l.channel_id "
        "WHERE c.code = :code",
        code=JCC,
    )
    assert isinstance(at_jcc, int) and 0 < at_jcc <= 17, "the JCC exhibition shows demo products"

    # The documents and photos the demo points at are in the storage folder.
    keys = rows(url, "SELECT storage_key FROM documents UNION ALL SELECT storage_key FROM media")
    assert keys
    missing = [
        k["storage_key"]
        for k in keys
        if not (seeded.db.storage_dir / str(k["storage_key"])).is_file()
    ]
    assert missing == []


def test_demo_seed_loads_three_approved_automotive_suppliers(seeded: Seeded) -> None:
    assert seeded.first.returncode == 0, explain(seeded.first)
    url = seeded.db.url
    suppliers = rows(
        url,
        "SELECT m.id, m.city, m.verified, m.capabilities, p.category, "
        " (SELECT max(d.expires_on) FROM documents d WHERE d.msme_id = m.id"
        "  AND d.product_id IS NULL AND d.doc_type IN ('iso9001', 'iatf16949')"
        "  AND d.status = 'verified') AS certified_until,"
        " (SELECT count(*) FROM supplier_reviews r WHERE r.msme_id = m.id"
        "  AND r.decision = 'approve') AS approvals "
        "FROM msmes m JOIN products p ON p.msme_id = m.id "
        "JOIN listings l ON l.product_id = p.id "
        "WHERE m.supplier_status = 'approved' AND p.status = 'approved'",
    )
    assert {(r["city"], r["category"]) for r in suppliers} == {
        ("Bekasi", "auto_metal_parts"),
        ("Tangerang", "auto_rubber"),
        ("Karawang", "auto_electrical"),
    }
    today = clock.today().isoformat()
    for r in suppliers:
        assert r["verified"] and r["capabilities"] and r["approvals"] == 1, r
        assert str(r["certified_until"]) >= today, r


async def test_demo_seed_accounts_can_log_in(seeded: Seeded) -> None:
    assert seeded.first.returncode == 0, explain(seeded.first)
    for email in ("admin@kurasi.example", "curator@kurasi.example"):
        r = await login(seeded.db, email, data.PASSWORDS[email])
        assert r.status_code == 200, (email, r.text)


def test_demo_seed_twice_changes_nothing(seeded: Seeded) -> None:
    assert seeded.first.returncode == 0, explain(seeded.first)
    before = counts(seeded.db.url)
    again = seeded.db.run("demo", "seed")
    assert again.returncode == 0, explain(again)
    assert "Traceback" not in again.stderr, explain(again)
    assert counts(seeded.db.url) == before


def test_worker_once_runs_what_the_demo_recorded(seeded: Seeded) -> None:
    assert seeded.first.returncode == 0, explain(seeded.first)
    url = seeded.db.url
    pending = "SELECT count(*) FROM outbox_events WHERE status = 'pending'"
    assert scalar(url, pending), "the demo's approvals and listings recorded events"
    result = seeded.db.run("worker", "--once")
    assert result.returncode == 0, explain(result)
    assert scalar(url, pending) == 0
    assert scalar(url, "SELECT count(*) FROM outbox_events WHERE status <> 'done'") == 0


def test_catalog_rebuild_with_reindex_keeps_the_catalog(seeded: Seeded) -> None:
    assert seeded.first.returncode == 0, explain(seeded.first)
    catalog = "SELECT product_id, category, certifications, channels FROM catalog_entries"
    before = rows(seeded.db.url, catalog)
    # The directory's terms too: as lost, then written again as every write writes them.
    terms = "SELECT id, supplier_text FROM msmes ORDER BY id"
    written = rows(seeded.db.url, terms)
    with sync_engine(seeded.db.url) as engine, engine.begin() as conn:
        conn.execute(text("UPDATE msmes SET supplier_terms = NULL, supplier_text = NULL"))
    result = seeded.db.run("catalog", "rebuild", "--reindex")
    assert result.returncode == 0, explain(result)
    assert f"reindexed {17 + len(SUPPLIERS)} revisions" in result.stdout, explain(result)
    assert f"supplier terms of {len(written)} MSMEs" in result.stdout, explain(result)
    assert rows(seeded.db.url, terms) == written
    assert all(row["supplier_text"] for row in written)
    after = rows(seeded.db.url, catalog)
    assert len(before) == 17 + len(SUPPLIERS)
    key = lambda r: str(r["product_id"])  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)


# -- serve ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: Db, logs: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """`kurasi serve ...` on a free port, once /healthz answers: the process and base URL."""
    port = free_port()
    log = logs / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(KURASI), "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            env=cli_env(db.url, db.storage_dir),
            cwd=db.cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kurasi serve exited {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop(proc)
    pytest.fail(f"/healthz did not answer 200 within 20 s:\n{log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture
def server(empty_db: Db, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start `kurasi serve ...`; yields a starter returning the base URL; stops it after."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*extra: str) -> str:
        proc, base = serve(empty_db, tmp_path, *extra)
        processes.append(proc)
        return base

    yield start
    for proc in processes:
        stop(proc)


def test_serve_with_migrate_builds_the_schema_and_serves(
    server: Callable[..., str], empty_db: Db
) -> None:
    base = server("--migrate")
    ready = httpx.get(f"{base}/readyz", timeout=5)
    assert ready.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert set(Base.metadata.tables) <= table_names(empty_db.url)
    r = httpx.get(f"{base}/api/v1/standards", timeout=5)
    assert r.status_code == 200, r.text
    assert r.json()


def test_serve_without_migrate_starts_but_leaves_the_schema_alone(
    server: Callable[..., str], empty_db: Db
) -> None:
    base = server()
    assert httpx.get(f"{base}/healthz", timeout=5).json()["status"] == "ok"
    assert table_names(empty_db.url) == set()
