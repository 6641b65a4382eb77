"""Catalog latency against a running `kurasi serve`: p50/p95 per kind of request.

    .venv/bin/python bench/catalog.py --url http://127.0.0.1:8000 --rounds 40

Each scenario is requested `--rounds` times after one warm-up request; the figures are
wall-clock times seen by the client on the same machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import httpx

PATH = "/api/v1/catalog/products"

FIRST_PAGES: dict[str, dict[str, Any]] = {
    "no filter": {},
    "category=tea": {"category": "tea"},
    "hs_code=0901": {"hs_code": "0901"},
    "province=Bali": {"province": "Bali"},
    "channel=jcc-export-expo": {"channel": "jcc-export-expo"},
    "certification=halal": {"certification": "halal"},
    "max_moq=100": {"max_moq": 100},
    "min_price_jpy=5000": {"min_price_jpy": 5000},
    "max_price_jpy=2000": {"max_price_jpy": 2000},
    "sort=price_asc": {"sort": "price_asc"},
    "sort=price_desc": {"sort": "price_desc"},
}
SEARCHES: dict[str, dict[str, Any]] = {
    f"q={q}": {"q": q}
    for q in ("茶", "緑茶", "胡椒", "コーヒー", "kopi", "coffee", "batik", "kopi コーヒー", "rotan")
}


def timed(client: httpx.Client, params: dict[str, Any], rounds: int) -> list[float]:
    client.get(PATH, params=params).raise_for_status()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        r = client.get(PATH, params=params)
        times.append((time.perf_counter() - started) * 1000)
        r.raise_for_status()
    return times


def cursor_at(client: httpx.Client, page: int, params: dict[str, Any]) -> str:
    cursor: str | None = None
    for _ in range(page - 1):
        body = client.get(PATH, params={**params, **({"cursor": cursor} if cursor else {})})
        cursor = body.raise_for_status().json()["next_cursor"]
        if cursor is None:
            raise SystemExit(f"the catalog has fewer than {page} pages")
    assert cursor is not None
    return cursor


def row(name: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[18]
    return f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, timeout=60) as client:
        total = sum(
            f["count"] for f in client.get(PATH).raise_for_status().json()["facets"]["category"]
        )
        print(f"{total} listings visible in the catalog\n")
        print("| request (limit 20, with facets) | p50 ms | p95 ms | max ms |")
        print("|---|---|---|---|")
        for name, params in {**FIRST_PAGES, **SEARCHES}.items():
            print(row(name, timed(client, params, args.rounds)), flush=True)
        deep = cursor_at(client, 1000, {})
        print(row("page 1 (newest)", timed(client, {}, args.rounds)))
        print(row("page 1000 (newest, by cursor)", timed(client, {"cursor": deep}, args.rounds)))


if __name__ == "__main__":
    main()
