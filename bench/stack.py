"""What uvloop and httptools gain: the same server with each event loop and HTTP parser.

    .venv/bin/python -m bench.stack          # against the bench's database (make bench seeds it)

Four `kurasi serve` processes (`--loop uvloop|asyncio` × `--http httptools|h11`), each on
the server's core in its turn, against the database `make bench` left: the catalog's
first page under wrk (64 connections), the four taking turns round after round so that
the machine's drift falls on all of them; then the write mix with each event loop
(httptools). uvicorn picks uvloop and httptools by itself when they are installed, as
`uvicorn[standard]` installs them; this shows what that choice is worth here.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics

import httpx

from bench import run, scenarios, throughput, workspace, writes

LOOPS = ("uvloop", "asyncio")
PARSERS = ("httptools", "h11")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=run.database_url())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--mix-seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8300)
    args = parser.parse_args()
    os.sched_setaffinity(0, {int(run.LOAD_CORE)})
    env = {**os.environ, **run.server_env(args.database_url)}
    os.environ.update(env)
    space = asyncio.run(workspace.prepare(args.database_url))

    stacks = list(itertools.product(LOOPS, PARSERS))
    loads: dict[tuple[str, str], list[throughput.Load]] = {s: [] for s in stacks}
    for _ in range(args.rounds):
        for n, (loop, http) in enumerate(stacks):
            port = args.port + n
            server = run.serve(env, port, 1, "--loop", loop, "--http", http)
            try:
                url = f"http://127.0.0.1:{port}{scenarios.CATALOG}"
                httpx.get(url).raise_for_status()  # rendered once, then cached
                load = throughput.wrk(url, args.duration, 64, run.LOAD_CORE, {})
                loads[(loop, http)].append(load)
            finally:
                run.stop(server)
    print("| event loop | HTTP parser | first page requests/s (median of turns) | p99 ms (worst) |")
    print("|---|---|---|---|")
    for (loop, http), turns in loads.items():
        rps = statistics.median(t.requests_per_second for t in turns)
        print(f"| {loop} | {http} | {rps:,.0f} | {max(t.p99_ms for t in turns):.1f} |")

    print("\n| event loop | write mix transitions/s | requests/s | server CPU ms a request |")
    print("|---|---|---|---|")
    for n, loop in enumerate(LOOPS):
        port = args.port + 10 + n
        server = run.serve(env, port, 1, "--loop", loop)
        try:
            url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=url) as client:
                owner, curator = (
                    scenarios.login(client, email, workspace.PASSWORDS[email])
                    for email in (workspace.WRITER, workspace.CURATOR)
                )
            mix = asyncio.run(
                writes.write_mix(
                    url,
                    space.writer_msme,
                    owner,
                    curator,
                    clients=32,
                    seconds=args.mix_seconds,
                    server_pid=server.pid,
                )
            )
            writes.check_mix(args.database_url, mix)
            x = mix.as_dict()
            print(
                f"| {loop} | {x['transitions_per_second']:.1f} | {x['requests_per_second']:.1f} "
                f"| {x['server_cpu_ms_per_request']:.2f} |"
            )
        finally:
            run.stop(server)


if __name__ == "__main__":
    main()
