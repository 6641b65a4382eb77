"""Throughput of each scenario under wrk from outside, in turns with the floor.

The floor (bench/floor.py) answers with the catalog's first page from memory on the same
uvicorn. Every scenario's turn sits between two turns of the floor (floor, scenario,
floor, next scenario, ..., floor), so that whatever else the machine does meanwhile falls
on both, and a scenario's ratio is taken to the floor's mean of the turns either side of
it. wrk runs pinned to the other core than the servers'.
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

from bench.scenarios import Scenario

HERE = Path(__file__).resolve().parent
PERCENTILES = HERE / "percentiles.lua"


@dataclass
class Load:
    name: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int = 0  # answers other than 2xx/3xx, and socket errors


def wrk(
    url: str, seconds: int, connections: int, core: str | None, headers: dict[str, str]
) -> Load:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    pinned = ["taskset", "-c", core] if core is not None else []
    # A slow answer is timed, not dropped as a timeout (wrk's default gives up after 2 s).
    command = [*pinned, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    command += ["-s", str(PERCENTILES)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed on {url}: {done.stderr or done.stdout}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p = {int(k): float(v) / 1000 for k, v in re.findall(r"^p(\d+) (\d+)$", out, re.M)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if socket := re.search(r"Socket errors: (.*)", out):
        errors += sum(int(n) for n in re.findall(r"\d+", socket.group(1)))
    return Load(url, rps, p[50], p[95], p[99], errors)


def start_floor(body: bytes, port: int, core: str | None, workers: int) -> subprocess.Popen[bytes]:
    path = Path(tempfile.mkstemp(suffix=".json")[1])
    path.write_bytes(body)
    env = {**os.environ, "KURASI_BENCH_FLOOR_BODY": str(path)}
    pinned = ["taskset", "-c", core] if core is not None else []
    proc = subprocess.Popen(
        [
            *pinned,
            sys.executable,
            "-m",
            "uvicorn",
            "bench.floor:app",
            "--port",
            str(port),
            "--workers",
            str(workers),
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


def until_fast(url: str, headers: dict[str, str]) -> None:
    """Ask `url`, uncounted, one request at a time, each on a new connection (so another
    server process may answer it), until five in a row are answered within 50 ms: its
    pages are rendered then (a broad search at a million listings renders for seconds)."""
    fast, deadline = 0, time.monotonic() + 120
    while fast < 5 and time.monotonic() < deadline:
        started = time.perf_counter()
        httpx.get(url, headers=headers, timeout=120)
        fast = fast + 1 if time.perf_counter() - started < 0.05 else 0


@dataclass
class Measured:
    scenario: Scenario
    turns: list[Load]
    floors: list[float]  # the floor's requests/s in the turns either side of each turn

    @property
    def requests_per_second(self) -> float:
        return sum(t.requests_per_second for t in self.turns) / len(self.turns)

    @property
    def floor_ratio(self) -> float:
        return self.requests_per_second / (sum(self.floors) / len(self.floors))

    def percentile(self, key: str) -> float:
        """The worst turn's: a target is met only when every turn meets it."""
        return max(float(getattr(t, key)) for t in self.turns)


def alternate(
    app_url: str,
    scenarios: list[Scenario],
    floor: Scenario,
    *,
    seconds: int,
    connections: int,
    load_core: str,
) -> tuple[list[Measured], list[Load]]:
    """Each scenario's turns, each between two turns of the floor; and the floor's turns.

    A scenario is warmed before its turns, uncounted: a second of wrk (every server
    process gets some of its connections), then `until_fast`. Its first rendering in each
    server process is what the first requests measure, and wrk misreports a pause at the
    start of a turn (a bare Starlette app whose first request sleeps 300 ms shows a p99 of
    200 ms over a 10-second turn, where a client timing each request finds 64 of 200,000
    requests, one per connection, slow; wrk's latencies then add up to more time than its
    connections had)."""

    def run(s: Scenario, base: str, turn_seconds: int = seconds) -> Load:
        load = wrk(f"{base}{s.path}", turn_seconds, connections, load_core, s.headers)
        load.name = s.name
        return load

    floors = [run(floor, floor.base_url)]
    measured = []
    for s in scenarios:
        run(s, app_url, 1)
        until_fast(f"{app_url}{s.path}", s.headers)
        turns, around = [], []
        for _ in range(s.turns):
            turns.append(run(s, app_url))
            floors.append(run(floor, floor.base_url))
            around += [floors[-2].requests_per_second, floors[-1].requests_per_second]
        measured.append(Measured(s, turns, around))
    return measured, floors
