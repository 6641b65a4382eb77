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

from app.catalog.search import weighted_terms
from app.config import Settings
from app.core.storage import create_storage
from app.demo import bulk, data
from app.demo.seed import seed_with
from app.models import Product, Revision, SearchTerm
from app.models.search import DESCRIPTION_WEIGHT
from tests.test_catalog import browse

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
        indexed = await session.scalar(
            select(func.count(SearchTerm.product_id.distinct())).join(
                Product, Product.id == SearchTerm.product_id
            )
        )
        lapsed = await session.scalar(
            select(func.count())
            .select_from(Revision)
            .where(Revision.certified_until < func.current_date())
        )
    assert indexed == seeded  # every product has terms, the demo's and the generated
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
    for facet in ("category", "province", "certification"):
        for value in page["facets"][facet][:3]:
            filtered = await everything(client, q="茶", **{facet: value["value"]})
            assert len(filtered) == value["count"], (facet, value)


def test_cached_variant_terms_equal_the_tokenized_text() -> None:
    """The seeder tokenizes each variant once and adds the lot number; that must be exact."""
    for template in range(len(data.PRODUCTS)):
        for grade in range(len(bulk.GRADES)):
            for origin in range(len(bulk.ORIGINS)):
                full = weighted_terms(*bulk.variant_texts(template, grade, origin, lot="4711"))
                cached = dict(bulk._variant_terms(template, grade, origin))
                cached.setdefault("4711", DESCRIPTION_WEIGHT)
                assert full == cached, (template, grade, origin)
