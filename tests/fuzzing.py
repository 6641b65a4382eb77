"""Schemathesis against a real server, as a partner would run it: `kurasi serve` on a
database of its own with the demo data, then `st run` (every check, the stateful phase)
once anonymously and once as a user of each role, admin last (it may change what the
others see).

    python -m tests.fuzzing --max-examples 200           # SQLite
    python -m tests.fuzzing --database postgresql://postgres@127.0.0.1:5432/test

The suite runs a short one (tests/test_fuzzing.py), `make fuzz` a long one on both
databases. Schemathesis reads schemathesis.toml at the repository's root: the statuses
SPEC.md's business rules give to inputs that the schema cannot rule out.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from app.demo.data import PASSWORDS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Who fuzzes, in order: the admin last, since it may deactivate or demote the others.
ROLES = {
    "anonymous": None,
    "buyer": "buyer@tokyo-trading.example",
    "owner": "owner@gayo-lestari.example",
    "curator": "curator@kurasi.example",
    "admin": "admin@kurasi.example",
}


@dataclass
class Result:
    role: str
    returncode: int
    output: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _database(server_url: str | None, folder: Path) -> Iterator[str]:
    """A database of the run's own: a SQLite file, or a new database on `server_url`."""
    if not server_url or server_url.startswith("sqlite"):
        yield f"sqlite:///{folder / 'fuzz.db'}"
        return
    base, _, _ = server_url.rpartition("/")
    name = f"kurasi_fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def serve(database_url: str, folder: Path) -> Iterator[str]:
    """`kurasi serve` on the demo data; yields its base URL."""
    env = {
        **os.environ,
        "KURASI_DATABASE_URL": database_url,
        "KURASI_STORAGE": "local",
        "KURASI_STORAGE_DIR": str(folder / "storage"),
        "KURASI_SECRET_KEY": "kurasi-fuzzing-secret-key-0123456789",
        # A long run outlasts the default 15 minutes of an access token.
        "KURASI_ACCESS_TOKEN_MINUTES": "1440",
    }
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([BIN / "kurasi", *command], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "kurasi", "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            if server.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text())
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _token(url: str, email: str) -> str:
    r = httpx.post(
        f"{url}/api/v1/auth/token", data={"username": email, "password": PASSWORDS[email]}
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def _command(
    url: str, token: str | None, role: str, options: list[str], report_dir: Path | None
) -> list[str]:
    command = [str(BIN / "st"), "run", f"{url}/openapi.json", "--checks", "all", *options]
    if token is not None:
        command += ["--header", f"Authorization: Bearer {token}"]
    if report_dir is not None:
        command += ["--report", "junit", "--report-dir", str(report_dir / role)]
    return command


def fuzz(url: str, roles: list[str], options: list[str], report_dir: Path | None) -> list[Result]:
    """Every role but the admin at once (they act on objects of their own), then the
    admin alone."""
    # Every login first: the anonymous run's flood of logins may reach the limit of logins
    # per client address (429) before the admin's run would log in.
    tokens = {r: _token(url, email) for r, email in ROLES.items() if r in roles and email}
    results = []
    for batch in ([r for r in roles if r != "admin"], [r for r in roles if r == "admin"]):
        running = {
            role: subprocess.Popen(
                _command(url, tokens.get(role), role, options, report_dir),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for role in batch
        }
        for role, process in running.items():
            output, _ = process.communicate()
            results.append(Result(role, process.returncode, output))
    return results


def run(
    database: str | None, roles: list[str], options: list[str], report_dir: Path | None = None
) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="kurasi-fuzz-"))
    try:
        with _database(database, folder) as database_url, serve(database_url, folder) as url:
            return fuzz(url, roles, options, report_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL server URL; SQLite when left out")
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--report-dir", type=Path)
    parser.add_argument("extra", nargs="*", help="more `st run` options, after --")
    args = parser.parse_args(argv)
    options = ["--max-examples", str(args.max_examples), "--workers", "1"]
    if args.seed is not None:
        options += ["--seed", str(args.seed)]
    results = run(args.database, args.roles.split(","), options + args.extra, args.report_dir)
    for result in results:
        print(f"===== {result.role}: exit {result.returncode}\n{result.output}")
    return max(result.returncode for result in results)


if __name__ == "__main__":
    sys.exit(main())
