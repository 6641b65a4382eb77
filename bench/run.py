"""The benchmark: seed (or reuse), serve, drive with wrk from the other core, report.

    make bench                                   # 100,000 listings
    make bench BENCH_ARGS="--listings 1000000"
    .venv/bin/python -m bench.run --listings 2000 --duration 3   # a quick check

See bench/README.md for what each figure means and the latest results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from app.config import Settings
from bench import (
    database,
    latency,
    roundtrip,
    scenarios,
    statements,
    throughput,
    workspace,
    writes,
)
from bench.report import report

HERE = Path(__file__).resolve().parent
KURASI = database.KURASI
SERVER_CORE, LOAD_CORE = "0", "1"


def serve(env: dict[str, str], port: int, workers: int, *options: str) -> subprocess.Popen[bytes]:
    """`kurasi serve` answering requests only (the event worker would run beside it as
    `kurasi worker`): one worker process on the server's core, or several on every core."""
    command = [str(KURASI), "serve", "--no-worker", "--port", str(port), "--workers", str(workers)]
    command += options
    proc = subprocess.Popen(
        ["taskset", "-c", server_cores(workers), *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    throughput.wait_for(f"http://127.0.0.1:{port}/healthz")
    return proc


def database_url() -> str:
    default = "postgresql://postgres@127.0.0.1:5432/kurasi_bench"
    return os.environ.get("KURASI_BENCH_DATABASE_URL", default)


def server_env(database_url: str) -> dict[str, str]:
    """The servers' settings: the bench's database and storage, limits above its load."""
    return {
        "KURASI_DATABASE_URL": database_url,
        "KURASI_STORAGE_DIR": "/tmp/kurasi-bench-storage",
        # A run logs in once and outlasts a 15-minute token; its load is not abuse.
        "KURASI_ACCESS_TOKEN_MINUTES": "1440",
        "KURASI_LOGIN_LIMIT_PER_ADDRESS": "100000/minute",
        "KURASI_SUBMISSION_LIMIT_PER_OWNER": "1000000/day",
        "KURASI_UPLOAD_LIMIT_PER_OWNER": "1000000/hour",
        "KURASI_INQUIRY_LIMIT_PER_BUYER": "1000000/day",
    }


def server_cores(workers: int) -> str:
    # Explicit either way: the bench itself runs pinned to the load's core.
    return SERVER_CORE if workers == 1 else f"0-{(os.cpu_count() or 1) - 1}"


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()  # it may still be answering what the load left queued
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()


def resident_mb(pid: int) -> list[float]:
    """The resident memory of a process and of each of its children (a server's worker
    processes), in MB."""
    procs = [pid] + [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and writes._parent(p) == pid
    ]
    sizes = []
    for p in procs:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        kb = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")]
        sizes.append(sum(kb) / 1024)
    return sizes


def machine(database_url: str) -> dict[str, Any]:
    cpu = platform.processor()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    pages = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    with psycopg.connect(database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    return {
        "host": os.uname().nodename,
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": pages / 2**30,
        "postgres": version[0].split()[0] if version else "?",
        "commit": commit or "?",
    }


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=database_url(),
        help="default KURASI_BENCH_DATABASE_URL, else kurasi_bench on 127.0.0.1:5432",
    )
    parser.add_argument(
        "--listings", "--seed", type=int, default=100_000, help="generated listings to seed"
    )
    parser.add_argument(
        "--reseed", action="store_true", help="drop and seed the database even if it has them"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk turn")
    parser.add_argument("--turns", type=int, default=3, help="turns of the catalog's first page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument("--mix-clients", type=int, default=32, help="write mix clients")
    parser.add_argument("--mix-seconds", type=float, help="the write mix's (default --duration)")
    parser.add_argument("--rounds", type=int, default=40, help="first requests of each kind")
    parser.add_argument("--writes", type=int, default=100, help="approvals/listings per count")
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--server-workers", type=int, default=1, help="kurasi serve --workers")
    parser.add_argument("--label", default="", help="added to the results file's name")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["latency", "writes", "throughput", "mix", "statements"],
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    os.sched_setaffinity(0, {int(LOAD_CORE)})  # this process is a client: wrk's core
    env = {**os.environ, **server_env(args.database_url)}
    os.environ.update(env)  # the in-process app of the statement counts reads the same
    workers = args.server_workers
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(),
        "listings": args.listings,
        "server_workers": workers,
    }
    print(f"database {args.database_url}: {args.listings:,} listings", flush=True)
    results["seed"] = database.ensure(args.database_url, args.listings, args.reseed, env)
    results["machine"] = machine(args.database_url)
    results["size"] = database.size(args.database_url)
    space = asyncio.run(workspace.prepare(args.database_url))
    url = f"http://127.0.0.1:{args.port}"

    # First requests with no page kept: each is answered from the database.
    print("first requests", flush=True)
    server = serve({**env, "KURASI_CATALOG_CACHE_SECONDS": "0"}, args.port, workers)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            first = client.get(latency.PATH).raise_for_status().json()
            results["visible"] = sum(f["count"] for f in first["facets"]["category"])
            if "latency" not in args.skip:
                figures = latency.first_requests(client, args.rounds)
                figures.append(latency.details(client, args.rounds))
                results["latency"] = {f.name: f.as_dict() for f in figures}
    finally:
        stop(server)

    if "writes" not in args.skip and args.writes:
        print("writes, 1 and 8 clients", flush=True)
        server = serve(env, args.port, workers)
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
        finally:
            stop(server)

    # As deployed: rendered pages kept for their seconds.
    server = serve(env, args.port, workers)
    try:
        measure(args, results, url, space, server.pid)
        results["server_rss_processes_mb"] = resident_mb(server.pid)
        results["server_rss_mb"] = sum(results["server_rss_processes_mb"])
    finally:
        stop(server)

    label = f"-{args.label}" if args.label else ""
    label += f"-{workers}-workers" if workers > 1 else ""
    out = HERE / "results" / f"{datetime.now(UTC):%Y-%m-%d}-{args.listings}{label}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(report(results))
    print(f"\nwritten to {out.relative_to(HERE.parent)}")


def measure(
    args: argparse.Namespace,
    results: dict[str, Any],
    url: str,
    space: workspace.Workspace,
    server_pid: int,
) -> None:
    """The scenarios under load against the floor, their statement counts, the write mix."""
    with httpx.Client(base_url=url, timeout=120) as client:
        tokens = {
            email: scenarios.login(client, email, workspace.PASSWORDS[email])
            for email in (workspace.SHOP, workspace.WRITER, workspace.CURATOR)
        }
        curator = tokens[workspace.CURATOR]
        reads = scenarios.catalog(client, args.turns, args.deep_page)
        reads += scenarios.workspace(tokens[workspace.SHOP], curator)
        body = client.get(scenarios.CATALOG).raise_for_status().content
    if "statements" not in args.skip:
        print("SQL statements per request", flush=True)
        results["statements"] = asyncio.run(
            statements.count(
                Settings(), reads, space.writer_msme, tokens[workspace.WRITER], curator
            )
        )
    if "throughput" not in args.skip:
        print(f"under load: {len(reads)} scenarios and the floor, in turns", flush=True)
        floor = throughput.start_floor(
            body, args.port + 1, server_cores(args.server_workers), args.server_workers
        )
        try:
            floor_scenario = scenarios.Scenario(
                "floor (bare Starlette, the first page's bytes)",
                scenarios.CATALOG,
                catalog=False,
                base_url=f"http://127.0.0.1:{args.port + 1}",
            )
            measured, floors = throughput.alternate(
                url,
                reads,
                floor_scenario,
                seconds=args.duration,
                connections=args.connections,
                load_core=LOAD_CORE,
            )
        finally:
            floor.terminate()
            floor.wait(timeout=10)
        results["throughput"] = {
            "connections": args.connections,
            "seconds": args.duration,
            "floor": {
                "name": floor_scenario.name,
                "requests_per_second": sum(f.requests_per_second for f in floors) / len(floors),
                **{k: max(getattr(f, k) for f in floors) for k in ("p50_ms", "p95_ms", "p99_ms")},
                "errors": sum(f.errors for f in floors),
                "turns": [vars(f) for f in floors],
            },
            "scenarios": [
                {
                    "name": m.scenario.name,
                    "path": m.scenario.path,
                    "catalog": m.scenario.catalog,
                    "ratio_target": m.scenario.ratio_target,
                    "requests_per_second": m.requests_per_second,
                    **{k: m.percentile(k) for k in ("p50_ms", "p95_ms", "p99_ms")},
                    "floor_ratio": m.floor_ratio,
                    "errors": sum(t.errors for t in m.turns),
                    "turns": [vars(t) for t in m.turns],
                }
                for m in measured
            ],
        }
    if "mix" not in args.skip:
        print("write mix", flush=True)
        mix = asyncio.run(
            writes.write_mix(
                url,
                space.writer_msme,
                tokens[workspace.WRITER],
                curator,
                clients=args.mix_clients,
                seconds=args.mix_seconds or args.duration,
                server_pid=server_pid,
            )
        )
        writes.check_mix(args.database_url, mix)
        results["mix"] = mix.as_dict()
        steps = results.get("statements", {}).get("write mix")
        if steps:  # what the database's round trips alone allow one core
            results["mix"]["ceiling"] = roundtrip.ceiling(
                args.database_url, sum(steps.values()), len(steps)
            )


if __name__ == "__main__":
    main()
