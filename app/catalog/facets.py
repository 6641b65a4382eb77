"""Facet counts: per category, province and certification, for the current filter.

Each facet applies every filter but its own, so a buyer sees how many products each
other choice would give. Counting means reading every match, which at a million
listings takes longer than a page should; the counts are therefore kept per catalog
version (app/catalog/entries.py), day and filter. A write that changes the catalog
moves the version, so a cached count is never stale, and each facet's key leaves out
its own filter, so choosing a category reuses the category counts already made.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import astuple, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import entries
from app.catalog.query import CatalogFilter, Entry, held
from app.catalog.schemas import Facets, FacetValue
from app.models import CatalogCertification

CACHE_SIZE = 4096
_cache: OrderedDict[Hashable, list[FacetValue]] = OrderedDict()


def clear_cache() -> None:
    _cache.clear()


def _statement(name: str, others: list[ColumnElement[bool]], today: date) -> Any:
    count = func.count().label("n")
    if name == "certification":
        cert = CatalogCertification
        return (
            select(cert.doc_type, count)
            .join(Entry, Entry.product_id == cert.product_id)
            .where(held(today), *others)
            .group_by(cert.doc_type)
        )
    column = getattr(Entry, name)
    return select(column, count).where(*others).group_by(column)


async def facets(
    session: AsyncSession, f: CatalogFilter, conds: dict[str, ColumnElement[bool]]
) -> Facets:
    version: uuid.UUID | None = await entries.version(session)
    out: dict[str, list[FacetValue]] = {}
    for name in ("category", "province", "certification"):
        # The filter without this facet's own choice (`today` is part of it).
        own: dict[str, Any] = {name: None}
        key = (version, name, astuple(replace(f, **own)))
        if version is not None and key in _cache:
            _cache.move_to_end(key)
            out[name] = _cache[key]
            continue
        others = [c for k, c in conds.items() if k != name]
        pairs = [
            (str(v), int(n)) for v, n in await session.execute(_statement(name, others, f.today))
        ]
        out[name] = [
            FacetValue(value=v, count=n) for v, n in sorted(pairs, key=lambda p: (-p[1], p[0]))
        ]
        if version is not None:
            _cache[key] = out[name]
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return Facets(**out)
