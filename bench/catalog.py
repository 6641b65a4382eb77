"""Catalog latency against a running `kurasi serve`: p50/p95 per kind of request.

    .venv/bin/python bench/catalog.py --url http://127.0.0.1:8000 --rounds 40

Each scenario is requested once ("first": facet counts not yet made for this filter,
when the server has just started) and then `--rounds` times (p50/p95/max, counts
reused); the figures are wall-clock times seen by the client on the same machine.
Deep pages are fetched by following `next_cursor`.

With `--database-url` (the server's database), every request is measured once more
right after a write to the catalog, before each of `--change-rounds` requests: first a
write of one product's catalog rows, as an approval or a document check makes it (the
cached counts are brought up to date, app/catalog/changes.py), then a re-pricing (the
counts filtered by a yen price are made again, the others brought up to date), then a
write that is not logged, as a rebuild or a channel closed (every cached count is made
again). Then, with
`--unwritten-days` N, the filters whose facets the writes keep (app/catalog/counts.py)
after a write as if the catalog had gone N days without one: the kept counts are moved
to count from N days ago, so each request corrects them for the rows that lapsed since;
they are moved back at the end.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import create_engine, select, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.catalog import counts, entries
from app.config import async_database_url, sync_database_url
from app.models import CatalogEntry, CatalogState

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
# Whose facets are read from the counts the writes keep.
KEPT = {
    name: FIRST_PAGES[name]
    for name in (
        "no filter",
        "category=tea",
        "hs_code=0901",
        "province=Bali",
        "channel=jcc-export-expo",
        "certification=halal",
    )
}
SEARCHES: dict[str, dict[str, Any]] = {
    f"q={q}": {"q": q}
    for q in (
        "茶",
        "緑茶",
        "胡椒",
        "コーヒー",
        "kopi",
        "coffee",
        "batik",
        "rotan",
        "kopi コーヒー",
        "コーヒー 豆",
        "green tea",
        "kopi arabika gayo",
        "organic coffee beans",
        "organic arabica coffee beans",
        "coffee batik",
    )
}


def once(client: httpx.Client, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    r = client.get(PATH, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    r.raise_for_status()
    return elapsed


# Page 1 against page 1,000 under each kind of order.
DEEP: dict[str, dict[str, Any]] = {
    "newest": {"sort": "newest"},
    "price_asc": {"sort": "price_asc"},
    "q=coffee (relevance)": {"q": "coffee"},
}


def timed(client: httpx.Client, params: dict[str, Any], rounds: int) -> tuple[float, list[float]]:
    first = once(client, params)
    return first, [once(client, params) for _ in range(rounds)]


def cursor_at(client: httpx.Client, page: int, params: dict[str, Any]) -> str:
    cursor: str | None = None
    for _ in range(page - 1):
        body = client.get(PATH, params={**params, **({"cursor": cursor} if cursor else {})})
        cursor = body.raise_for_status().json()["next_cursor"]
        if cursor is None:
            raise SystemExit(f"the catalog has fewer than {page} pages")
    assert cursor is not None
    return cursor


def after_changes(
    client: httpx.Client,
    params: dict[str, Any],
    rounds: int,
    database_url: str,
    *,
    write: str = "product",
) -> tuple[float, list[float]]:
    """Each request right after a write: one product's catalog rows refreshed (another
    product each time, `write` "product"), or the catalog version moved as a re-pricing
    ("repriced") or a write that is not logged ("unlogged") moves it."""
    engine = create_engine(sync_database_url(database_url))
    with engine.connect() as conn:
        products = list(conn.scalars(select(CatalogEntry.product_id).limit(rounds + 1)))
        times = []
        for product_id in products:
            if write == "product":
                asyncio.run(refresh(database_url, product_id))
            else:
                moved = "priced" if write == "repriced" else "lineage"
                new = {"version": uuid.uuid4(), moved: uuid.uuid4()}
                conn.execute(update(CatalogState).values(seq=CatalogState.seq + 1, **new))
                conn.commit()
            times.append(once(client, params))
    engine.dispose()
    return times[0], times[1:]


async def refresh(database_url: str, product_id: uuid.UUID) -> None:
    engine = create_async_engine(async_database_url(database_url))
    async with AsyncSession(engine) as session:
        await entries.refresh(session, [product_id])
        await session.commit()
    await engine.dispose()


def count_from(database_url: str, day: date) -> None:
    """Move the kept facet counts to count from `day` (they stay right for every day)."""
    engine = create_engine(sync_database_url(database_url))
    with engine.begin() as conn:
        old = conn.scalar(select(CatalogState.counted_from))
        assert old is not None
        for statement in counts.moved(conn.dialect.name, old, day):
            conn.execute(statement)
    engine.dispose()


def row(name: str, measured: tuple[float, list[float]]) -> str:
    first, times = measured
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return (
        f"| {name} | {first:.1f} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database-url", help="also measure requests after catalog changes")
    parser.add_argument("--change-rounds", type=int, default=10)
    parser.add_argument("--unwritten-days", type=int, default=7)
    args = parser.parse_args()
    with httpx.Client(base_url=args.url, timeout=60) as client:
        total = sum(
            f["count"] for f in client.get(PATH).raise_for_status().json()["facets"]["category"]
        )
        print(f"{total} listings visible in the catalog\n")
        print("| request (limit 20, with facets) | first ms | p50 ms | p95 ms | max ms |")
        print("|---|---|---|---|---|")
        for name, params in {**FIRST_PAGES, **SEARCHES}.items():
            print(row(name, timed(client, params, args.rounds)), flush=True)
        for name, params in DEEP.items():
            deep = cursor_at(client, 1000, params)
            print(row(f"{name}: page 1", timed(client, params, args.rounds)))
            print(row(f"{name}: page 1000", timed(client, {**params, "cursor": deep}, args.rounds)))
        for title, write in (
            ("right after a write of one product", "product"),
            ("right after a re-pricing", "repriced"),
            ("right after a write not logged (counts made again)", "unlogged"),
        ):
            if not args.database_url:
                break
            print(f"\n| {title} | first ms | p50 ms | p95 ms | max ms |")
            print("|---|---|---|---|---|")
            for name, params in {**FIRST_PAGES, **SEARCHES}.items():
                measured = after_changes(
                    client, params, args.change_rounds, args.database_url, write=write
                )
                print(row(name, measured), flush=True)
        if args.database_url and args.unwritten_days:
            days = args.unwritten_days
            title = f"after a change, counted from {days} days ago"
            print(f"\n| {title} | first ms | p50 ms | p95 ms | max ms |")
            print("|---|---|---|---|---|")
            today = date.today()
            count_from(args.database_url, today - timedelta(days=days))
            try:
                for name, params in KEPT.items():
                    measured = after_changes(client, params, args.change_rounds, args.database_url)
                    print(row(name, measured), flush=True)
            finally:
                count_from(args.database_url, today)


if __name__ == "__main__":
    main()
