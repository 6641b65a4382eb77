"""The bulk import at its limit: 10,000 rows, as CSV and as XLSX, sent to `kurasi serve`
on SQLite and on PostgreSQL; each import is one request and one transaction.

    .venv/bin/python -m bench.imports
    .venv/bin/python -m bench.imports --postgres postgresql://postgres@127.0.0.1:5432/kurasi_bench_imports

Each database is made anew (SQLite: a file in a temporary folder; PostgreSQL: the
database named, dropped first) with one owner and one MSME. Timed from the client,
upload included: a CSV of 10,000 new products (prices in both notations, Japanese and
Indonesian text, quoted commas and line breaks) as a dry run, then committed (10,000
drafts); then an XLSX of the same SKUs with new prices, numbers stored as numbers, as a
dry run, then committed (10,000 updates). Prints a markdown table; see bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import psycopg

from app.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.core.migrate import upgrade
from app.core.security import hash_password
from app.imports.columns import NAMES
from app.models import User
from app.msmes.schemas import MsmeCreate
from app.msmes.service import create_msme
from app.standards.table import CATEGORIES
from bench.throughput import wait_for

KURASI = Path(sys.executable).parent / "kurasi"
EMAIL, PASSWORD = "importer@bench.example", "bench-import-password-1"
ROWS = 10_000
TIMEOUT = 300


def rows(count: int, *, price: float) -> list[dict[str, Any]]:
    """`count` products spread over every category, as an MSME would fill the template."""
    out = []
    for i in range(count):
        cat = CATEGORIES[i % len(CATEGORIES)]
        hs_code = (cat.hs_prefixes[0] + "0000")[:6]
        amount = price + i % 100
        out.append(
            {
                "sku": f"SKU-{i:05d}",
                "category": cat.code,
                "hs_code": hs_code,
                "name_id": f"{cat.name['id']} pilihan nomor {i}",
                "name_en": f"Selected {cat.name['en'].lower()}, lot {i}",
                "name_ja": f"厳選{cat.name['ja']} ロット{i}",
                "description_id": f"Dibuat dengan tangan, lot {i}.\nCocok untuk pasar Jepang.",
                "description_en": f"Handmade, lot {i}; packed for export.",
                "description_ja": f"手作り、ロット{i}。輸出用に梱包。",
                "price_amount": amount,
                "price_currency": "IDR",
                "incoterm": "FOB",
                "port_of_loading": "Tanjung Priok, Jakarta",
                "unit": "pcs",
                "moq": 100 + i % 50,
                "lead_time_days": 30,
                "monthly_capacity": 5000,
                "shelf_life_days": 365,
                "packaging": "Carton, 24 per box",
                "net_weight_g": 250,
            }
        )
    return out


def csv_bytes(products: list[dict[str, Any]]) -> bytes:
    """Excel's CSV UTF-8: a byte-order mark, CRLF; every other price as `12.500,50`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    for i, product in enumerate(products):
        amount = f"{product['price_amount']:.2f}"
        if i % 2:
            whole, cents = amount.split(".")
            amount = f"{int(whole):,}".replace(",", ".") + "," + cents
        writer.writerow([amount if c == "price_amount" else product[c] for c in NAMES])
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def xlsx_bytes(products: list[dict[str, Any]]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Products")
    sheet.append(list(NAMES))
    for product in products:
        sheet.append([product[c] for c in NAMES])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _owner_and_msme(settings: Settings) -> str:
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            owner = User(
                email=EMAIL,
                password_hash=hash_password(PASSWORD),
                full_name="Bench Importer",
                role="msme_owner",
            )
            session.add(owner)
            await session.flush()
            msme = await create_msme(
                session,
                owner,
                MsmeCreate.model_validate(
                    {
                        "legal_name": "CV Bench Impor",
                        "brand_name": "Bench Impor",
                        "nib": "9000000000001",
                        "province": "Jawa Barat",
                        "city": "Bandung",
                        "address": "Jl. Asia Afrika 1",
                        "size_class": "small",
                    }
                ),
            )
            await session.commit()
            return str(msme.id)
    finally:
        await engine.dispose()


@contextlib.contextmanager
def database(kind: str, postgres: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'imports.db'}"
        return
    base, _, name = postgres.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(kind: str, url: str, folder: Path, port: int) -> list[dict[str, Any]]:
    env = {
        **os.environ,
        "KURASI_DATABASE_URL": url,
        "KURASI_STORAGE_DIR": str(folder / "storage"),
        "KURASI_SECRET_KEY": "kurasi-bench-imports-0123456789abcdef",
    }
    upgrade(url)
    msme_id = asyncio.run(
        _owner_and_msme(Settings(database_url=url, secret_key=env["KURASI_SECRET_KEY"]))
    )
    created, updated = rows(ROWS, price=12500.5), rows(ROWS, price=13750.25)
    steps = [
        ("CSV, 10,000 new", csv_bytes(created), True),
        ("CSV, 10,000 new", csv_bytes(created), False),
        ("XLSX, 10,000 known, new prices", xlsx_bytes(updated), True),
        ("XLSX, 10,000 known, new prices", xlsx_bytes(updated), False),
    ]
    command = [str(KURASI), "serve", "--no-worker", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
            login = {"username": EMAIL, "password": PASSWORD}
            token = client.post("/api/v1/auth/token", data=login).raise_for_status().json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            idle_mb = round(peak_mb(server.pid))
            for name, content, dry_run in steps:
                started = time.monotonic()
                r = client.post(
                    f"/api/v1/msmes/{msme_id}/imports",
                    params={"dry_run": str(dry_run).lower()},
                    files={"file": ("products", content)},
                    headers=headers,
                )
                seconds = time.monotonic() - started
                report = r.raise_for_status().json()
                assert not report["errors"], report["errors"][:5]
                results.append(
                    {
                        "database": kind,
                        "file": name,
                        "bytes": len(content),
                        "dry_run": dry_run,
                        "created": report["created"],
                        "updated": report["updated"] - report["unchanged"],
                        "seconds": round(seconds, 2),
                    }
                )
        for result in results:
            result["server_peak_mb"] = round(peak_mb(server.pid))
            result["server_idle_mb"] = idle_mb
    finally:
        server.terminate()
        server.wait(timeout=60)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/kurasi_bench_imports"
    )
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--port", type=int, default=8150)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases:
            folder = Path(tmp) / kind
            folder.mkdir()
            with database(kind, args.postgres, folder) as url:
                results += run(kind, url, folder, args.port)
    print("| database | file | size | dry run | created | updated | seconds |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['database']} | {r['file']} | {r['bytes'] / 1e6:.1f} MB | "
            f"{'yes' if r['dry_run'] else 'no'} | {r['created']} | {r['updated']} | "
            f"{r['seconds']:.1f} |"
        )
    for kind in args.databases:
        r = next(r for r in results if r["database"] == kind)
        print(f"{kind}: server peak {r['server_peak_mb']} MB (idle {r['server_idle_mb']} MB)")


if __name__ == "__main__":
    main()
