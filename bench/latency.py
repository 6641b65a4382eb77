"""First requests, one client: each catalog request of a round asked for the first time."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bench.requests import kinds

PATH = "/api/v1/catalog/products"


@dataclass
class Figures:
    name: str
    times: list[float]  # milliseconds

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times, n=20, method="inclusive")[18]

    @property
    def max(self) -> float:
        return max(self.times)

    def as_dict(self) -> dict[str, Any]:
        return {"n": len(self.times), "p50_ms": self.p50, "p95_ms": self.p95, "max_ms": self.max}


def timed(client: httpx.Client, params: dict[str, Any], path: str = PATH) -> float:
    started = time.perf_counter()
    r = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    r.raise_for_status()
    return elapsed


def first_requests(client: httpx.Client, rounds: int) -> list[Figures]:
    """`rounds` different requests of each kind, kinds taking turns within a round."""
    supply = kinds()
    times: dict[str, list[float]] = {name: [] for name in supply}
    for _ in range(rounds):
        for name, made in supply.items():
            times[name].append(timed(client, next(made)))
    return [Figures(name, t) for name, t in times.items()]


def details(client: httpx.Client, rounds: int) -> Figures:
    """One listing's page, a different listing each time."""
    page = client.get(PATH, params={"limit": 100, "sort": "price_asc"}).raise_for_status().json()
    ids = [i["id"] for i in page["items"]][:rounds]
    return Figures("listing detail", [timed(client, {}, f"{PATH}/{i}") for i in ids])


def deep_page(client: httpx.Client, page: int, rounds: int) -> tuple[Figures, Figures]:
    """Page 1 and page `page` (newest first, by cursor), asked in turn `rounds` times."""
    cursor: str | None = None
    for _ in range(page - 1):
        params = {"sort": "newest", **({"cursor": cursor} if cursor else {})}
        cursor = client.get(PATH, params=params).raise_for_status().json()["next_cursor"]
        if cursor is None:
            raise SystemExit(f"the catalog has fewer than {page} pages")
    first: list[float] = []
    deep: list[float] = []
    for _ in range(rounds):
        first.append(timed(client, {"sort": "newest"}))
        deep.append(timed(client, {"sort": "newest", "cursor": cursor}))
    return Figures("page 1 (newest)", first), Figures(f"page {page} (newest, by cursor)", deep)
