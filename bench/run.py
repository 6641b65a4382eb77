"""The catalog benchmark: seed, serve with one worker, measure, print a markdown table.

    .venv/bin/python -m bench.run --seed 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/kurasi_bench

See bench/README.md for what each figure means and the latest results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import latency, throughput, writes

HERE = Path(__file__).resolve().parent
KURASI = Path(sys.executable).parent / "kurasi"
SERVER_CORE, LOAD_CORE = "0", "1"


def kurasi(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(KURASI), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def seed(database_url: str, listings: int, env: dict[str, str]) -> dict[str, Any]:
    """A new database with the demo data and `listings` generated listings."""
    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    kurasi(env, "db", "upgrade")
    kurasi(env, "demo", "seed")
    started = time.monotonic()
    kurasi(env, "demo", "seed", "--products", str(listings))
    return {"listings": listings, "seconds": round(time.monotonic() - started, 1)}


def database_size(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        whole = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        catalog = conn.execute(
            "SELECT pg_total_relation_size('catalog_entries') + "
            "pg_total_relation_size('catalog_certifications') + "
            "pg_total_relation_size('catalog_channels')"
        ).fetchone()
    assert whole is not None and catalog is not None
    return {"database_bytes": int(whole[0]), "catalog_bytes": int(catalog[0])}


def serve(env: dict[str, str], port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    """`kurasi serve` answering requests only (the event worker would run beside it as
    `kurasi worker`): one worker process on the server's core, or several on every core."""
    pinned = ["taskset", "-c", SERVER_CORE] if workers == 1 else []
    command = [str(KURASI), "serve", "--no-worker", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(
        [*pinned, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    throughput.wait_for(f"http://127.0.0.1:{port}/healthz")
    return proc


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()  # it may still be answering what the load left queued
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "KURASI_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/kurasi_bench"
        ),
    )
    parser.add_argument("--seed", type=int, metavar="LISTINGS", help="seed a new database first")
    parser.add_argument("--rounds", type=int, default=40, help="requests of each kind")
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--writes", type=int, default=100, help="writes per client count")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument(
        "--server-workers",
        type=int,
        default=1,
        help="server processes for the writes (first requests and throughput use one)",
    )
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["latency", "writes", "throughput", "deep"]
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "KURASI_DATABASE_URL": args.database_url,
        "KURASI_STORAGE_DIR": "/tmp/kurasi-bench-storage",
        # A run logs in once and outlasts a 15-minute token; its load is not abuse.
        "KURASI_ACCESS_TOKEN_MINUTES": "1440",
        "KURASI_LOGIN_LIMIT_PER_ADDRESS": "100000/minute",
        "KURASI_SUBMISSION_LIMIT_PER_OWNER": "1000000/day",
        "KURASI_UPLOAD_LIMIT_PER_OWNER": "1000000/hour",
        "KURASI_INQUIRY_LIMIT_PER_BUYER": "1000000/day",
    }
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(),
        "machine": os.uname().nodename,
        "cores": os.cpu_count(),
    }
    if args.seed:
        results["seed"] = seed(args.database_url, args.seed, env)
    results["size"] = database_size(args.database_url)
    url = f"http://127.0.0.1:{args.port}"
    # First requests with no page kept: each is answered from the database.
    server = serve({**env, "KURASI_CATALOG_CACHE_SECONDS": "0"}, args.port)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            first = client.get(latency.PATH).raise_for_status().json()
            results["visible"] = sum(f["count"] for f in first["facets"]["category"])
            figures = []
            if "latency" not in args.skip:
                figures = latency.first_requests(client, args.rounds)
                figures.append(latency.details(client, args.rounds))
            if "deep" not in args.skip:
                figures.extend(latency.deep_page(client, 1000, 10))
        results["latency"] = {f.name: f.as_dict() for f in figures}
    finally:
        stop(server)
    if "writes" not in args.skip:
        server = serve(env, args.port, args.server_workers)
        try:
            rates = asyncio.run(
                writes.approvals_and_listings(url, args.database_url, args.writes, server.pid)
            )
            results["writes"] = [
                {
                    "name": r.name,
                    "clients": r.clients,
                    "per_second": r.per_second,
                    "wall_ms": 1000 / r.per_second,
                    "server_cpu_ms": r.server_cpu_ms,
                }
                for r in rates
            ]
            results["writes_server_workers"] = args.server_workers
        finally:
            stop(server)
    # Under load, as deployed: rendered pages kept for their seconds.
    server = serve(env, args.port)
    try:
        if "throughput" not in args.skip:
            apps, floors = throughput.side_by_side(
                url,
                args.port + 1,
                seconds=args.load_seconds,
                turns=args.turns,
                connections=64,
                server_core=SERVER_CORE,
                load_core=LOAD_CORE,
            )
            results["throughput"] = {
                "app": [vars(a) for a in apps],
                "floor": [vars(f) for f in floors],
            }
        results["server_rss_mb"] = resident_mb(server.pid)
    finally:
        stop(server)
    label = f"-{args.label}" if args.label else ""
    out = HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}-{results['visible']}{label}.json"
    out.write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


def report(r: dict[str, Any]) -> str:
    lines = [
        f"{r['visible']} visible listings; database {r['size']['database_bytes'] / 2**20:.0f} MB "
        f"(catalog tables {r['size']['catalog_bytes'] / 2**20:.0f} MB)"
    ]
    if "seed" in r:
        lines.append(f"seeded {r['seed']['listings']} listings in {r['seed']['seconds']} s")
    lines += [
        "",
        "| request, each asked once | n | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for name, f in r["latency"].items():
        lines.append(
            f"| {name} | {f['n']} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['max_ms']:.1f} |"
        )
    if "writes" in r:
        lines += [
            "",
            f"writes served by {r.get('writes_server_workers', 1)} server process(es)",
            "| write | clients | per second | ms each | server CPU ms each |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {w['name']} | {w['clients']} | {w['per_second']:.1f} | {w['wall_ms']:.1f} "
            f"| {w['server_cpu_ms']:.1f} |"
            for w in r["writes"]
        ]
    if "throughput" in r:
        lines += [
            "",
            "| first page, 64 connections | requests/s | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|---|",
        ]
        for kind in ("floor", "app"):
            for t in r["throughput"][kind]:
                times = " | ".join(f"{t[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
                lines.append(f"| {kind} | {t['requests_per_second']:.0f} | {times} |")
        app = sum(t["requests_per_second"] for t in r["throughput"]["app"])
        floor = sum(t["requests_per_second"] for t in r["throughput"]["floor"])
        lines.append(f"\nthe catalog's first page at {app / floor:.3f} × the floor's throughput")
    lines.append(f"server resident memory after the run: {r['server_rss_mb']:.0f} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
