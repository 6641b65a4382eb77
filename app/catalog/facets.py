"""Facet counts: per category, province and certification, for the current filter.

Each facet applies every filter but its own, so a buyer sees how many products each
other choice would give. Counting means reading every match, which at a million
listings takes longer than a page should; the counts are therefore kept per catalog
version (app/catalog/entries.py), day and filter. A write that changes the catalog
moves the version, so a cached count is never stale.

Two counts serve the three facets: matches by (category, province), and held
certifications by (doc_type, category, province). Both leave the category and
province filters out of their SQL and apply them here, so one count answers every
choice of category and province: after the catalog's first page, choosing a category
or a province, or both, needs no counting at all.
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import astuple, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import entries
from app.catalog.query import CatalogFilter, Entry, held, lasts_until
from app.catalog.schemas import Facets, FacetValue
from app.models import CatalogCertification

CACHE_SIZE = 4096
_cache: OrderedDict[Hashable, list[tuple[Any, ...]]] = OrderedDict()
# Filters each count leaves out of its SQL (category and province are applied here).
PLACE = ("category", "province")
LEFT_OUT = {"place": PLACE, "certification": (*PLACE, "certification")}


def clear_cache() -> None:
    _cache.clear()


def _statement(count: str, others: dict[str, ColumnElement[bool]], today: date) -> Any:
    n = func.count().label("n")
    cert = CatalogCertification
    if count == "certification" and others.keys() == {"visible"}:
        # Nothing to filter by but what the table copies: it is counted alone.
        return (
            select(cert.doc_type, cert.category, cert.province, n)
            .where(lasts_until(cert.shown_until, today))
            .group_by(cert.doc_type, cert.category, cert.province)
        )
    if count == "certification":
        return (
            select(cert.doc_type, Entry.category, Entry.province, n)
            .join(Entry, Entry.product_id == cert.product_id)
            .where(held(today), *others.values())
            .group_by(cert.doc_type, Entry.category, Entry.province)
        )
    return select(Entry.category, Entry.province, n).where(*others.values()).group_by(*PLACE)


async def _counted(
    session: AsyncSession,
    count: str,
    f: CatalogFilter,
    conds: dict[str, ColumnElement[bool]],
    version: uuid.UUID | None,
) -> list[tuple[Any, ...]]:
    """The rows of one count, from the cache when this version has made them."""
    left_out: dict[str, Any] = dict.fromkeys(LEFT_OUT[count])
    key = (version, count, astuple(replace(f, **left_out)))  # `today` is part of it
    if version is not None and key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    others = {k: c for k, c in conds.items() if k not in left_out}
    rows = [tuple(r) for r in await session.execute(_statement(count, others, f.today))]
    if version is not None:
        _cache[key] = rows
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return rows


def _values(pairs: Iterable[tuple[str, int]]) -> list[FacetValue]:
    totals: Counter[str] = Counter()
    for value, n in pairs:
        totals[value] += n
    return [FacetValue(value=v, count=n) for v, n in sorted(totals.items(), key=_by_count)]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


async def facets(
    session: AsyncSession, f: CatalogFilter, conds: dict[str, ColumnElement[bool]]
) -> Facets:
    version: uuid.UUID | None = await entries.version(session)
    places = await _counted(session, "place", f, conds, version)
    certs = await _counted(session, "certification", f, conds, version)

    def within(category: str, province: str, *, own: str) -> bool:
        """The row passes the category and province filters, except facet `own`'s."""
        # An empty choice is no choice, as in the SQL conditions.
        return (own == "category" or not f.category or f.category == category) and (
            own == "province" or not f.province or f.province == province
        )

    return Facets(
        category=_values((c, n) for c, p, n in places if within(c, p, own="category")),
        province=_values((p, n) for c, p, n in places if within(c, p, own="province")),
        certification=_values((d, n) for d, c, p, n in certs if within(c, p, own="")),
    )
