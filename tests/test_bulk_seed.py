"""The benchmark seeder (`kurasi demo seed --products N`) writes what approval writes.

Its listings must behave in the catalog exactly like curated ones: found by search,
counted by facets, hidden when a certificate lapsed, and paged through without
duplicates or gaps under every sort.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.catalog import search
from app.config import Settings
from app.core.storage import create_storage
from app.demo import bulk, data
from app.demo.seed import seed_with
from app.models import CatalogEntry, Product, Revision
from app.models.snapshot import RevisionContent
from tests.factories import browse

COUNT = 300


@pytest.fixture
async def seeded(app: FastAPI, settings: Settings) -> int:
    await seed_with(app.state.sessionmaker, create_storage(settings), settings)
    async with app.state.engine.begin() as conn:
        await bulk.load(conn, COUNT)
    async with app.state.sessionmaker() as session:
        total = await session.scalar(select(func.count()).select_from(Product))
    assert total is not None and total > COUNT
    return int(total)


async def everything(client: httpx.AsyncClient, **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = await browse(client, limit=37, **params, **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            return seen


async def test_seeded_listings_are_searchable_and_counted(
    client: httpx.AsyncClient, app: FastAPI, seeded: int
) -> None:
    async with app.state.sessionmaker() as session:
        terms = (await session.scalars(select(CatalogEntry.terms))).all()
        lapsed = await session.scalar(
            select(func.count())
            .select_from(Revision)
            .where(Revision.certified_until < func.current_date())
        )
    assert terms and all(terms)  # every listing has terms, the demo's and the generated
    assert lapsed  # some certificates lapsed: those listings must not show

    page = await browse(client)
    total = sum(f["count"] for f in page["facets"]["category"])
    assert 0 < total < seeded
    for sort in ("newest", "price_asc", "price_desc"):
        ids = await everything(client, sort=sort)
        assert len(ids) == len(set(ids)) == total, sort

    tea = await everything(client, q="茶")
    assert tea and len(tea) == len(set(tea))
    page = await browse(client, q="茶")
    assert sum(f["count"] for f in page["facets"]["category"]) == len(tea)
    for facet in ("category", "province", "certification", "channel"):
        for value in page["facets"][facet][:3]:
            filtered = await everything(client, q="茶", **{facet: value["value"]})
            assert len(filtered) == value["count"], (facet, value)


def test_cached_variant_terms_equal_the_tokenized_text() -> None:
    """The seeder indexes each variant once and adds the lot number; that must be exact."""
    for template in range(len(data.PRODUCTS)):
        for grade in range(len(bulk.GRADES)):
            for origin in range(len(bulk.ORIGINS)):
                name, description = bulk.variant_texts(template, grade, origin, lot="4711")
                full = search.index(
                    RevisionContent(
                        category=data.PRODUCTS[template]["category"],
                        hs_code="0",
                        name=name,
                        description=description,
                        unit="pcs",
                        price={"amount": "0", "currency": "IDR"},  # type: ignore[arg-type]
                    )
                )
                cached = bulk._variant_index(template, grade, origin)
                lot = {"4711": search.ELSEWHERE}
                assert full.terms == {**cached.terms, **lot}, (template, grade, origin)
