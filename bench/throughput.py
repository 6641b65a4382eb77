"""Throughput of the catalog's first page against the floor, with wrk from outside.

The floor (bench/floor.py) answers with the same bytes from memory on the same uvicorn;
the two are measured in turns, `--turns` times each, so that whatever else the machine
does falls on both. wrk runs pinned to the other core than the servers'.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
PERCENTILES = HERE / "percentiles.lua"


@dataclass
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


def wrk(url: str, seconds: int, connections: int, core: str) -> Load:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    out = subprocess.run(
        [
            "taskset",
            "-c",
            core,
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(PERCENTILES),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p = {int(k): float(v) / 1000 for k, v in re.findall(r"^p(\d+) (\d+)$", out, re.M)}
    return Load(url, rps, p[50], p[95], p[99])


def start_floor(body: bytes, port: int, core: str) -> subprocess.Popen[bytes]:
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    path.write_bytes(body)
    env = {**os.environ, "KURASI_BENCH_FLOOR_BODY": str(path)}
    proc = subprocess.Popen(
        [
            "taskset",
            "-c",
            core,
            sys.executable,
            "-m",
            "uvicorn",
            "bench.floor:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=HERE.parent,
    )
    wait_for(f"http://127.0.0.1:{port}/")
    return proc


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def side_by_side(
    app_url: str,
    floor_port: int,
    *,
    seconds: int,
    turns: int,
    connections: int,
    server_core: str,
    load_core: str,
) -> tuple[list[Load], list[Load]]:
    page = f"{app_url}/api/v1/catalog/products"
    body = httpx.get(page, timeout=30).raise_for_status().content
    floor = start_floor(body, floor_port, server_core)
    try:
        apps, floors = [], []
        for _ in range(turns):
            floors.append(
                wrk(
                    f"http://127.0.0.1:{floor_port}/api/v1/catalog/products",
                    seconds,
                    connections,
                    load_core,
                )
            )
            apps.append(wrk(page, seconds, connections, load_core))
        return apps, floors
    finally:
        floor.terminate()
        floor.wait(timeout=10)
