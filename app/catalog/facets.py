"""Facet counts: per category, province and certification, for the current filter.

Each facet applies every filter but its own, so a buyer sees how many products each
other choice would give. Two counts serve the three facets: matches by (category,
province), and held certifications by (doc_type, category, province). Both leave the
category and province filters out of their SQL and apply them here, so one count
answers every choice of category and province.

A filter of channel, certification, HS code, category and province alone, the catalog's
first page among them, reads the counts the writes keep (app/catalog/counts.py). Any other
filter counts its matches, which at a million listings takes longer than a page
should; those counts are cached per catalog version (app/catalog/entries.py), day and
filter. A write that changes the catalog moves the version, so a cached count is never
stale.
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import astuple, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import counts, entries
from app.catalog.query import CatalogFilter, Entry, held, open_channel_id
from app.catalog.schemas import Facets, FacetValue
from app.models import CatalogCertification

CACHE_SIZE = 4096
_cache: OrderedDict[Hashable, list[tuple[Any, ...]]] = OrderedDict()
# Filters each count leaves out of its SQL (category and province are applied here).
PLACE = ("category", "province")
LEFT_OUT = {"place": PLACE, "certification": (*PLACE, "certification")}
# Filters the kept counts (app/catalog/counts.py) answer without counting.
KEPT = {"visible", "channel", "certification", "hs_code", *PLACE}


def clear_cache() -> None:
    _cache.clear()


def _statement(count: str, others: dict[str, ColumnElement[bool]], today: date) -> Any:
    n = func.count().label("n")
    if count == "certification":
        cert = CatalogCertification
        return (
            select(cert.doc_type, Entry.category, Entry.province, n)
            .join(Entry, Entry.product_id == cert.product_id)
            .where(held(today), *others.values())
            .group_by(cert.doc_type, Entry.category, Entry.province)
        )
    return select(Entry.category, Entry.province, n).where(*others.values()).group_by(*PLACE)


def _kept_statement(f: CatalogFilter, day: date) -> Any:
    """(doc_type, category, province, n, counted_from) for the filter's channel, or the
    whole catalog, from counts counted from `day`."""
    channel = open_channel_id(f.channel, f.today) if f.channel else counts.EVERY_CHANNEL
    return counts.as_of(channel, f.today, day, f.hs_code or None)


async def _kept(session: AsyncSession, f: CatalogFilter, day: date) -> list[tuple[Any, ...]]:
    """The kept counts for the filter, corrected for the day they count from.

    That day was read by an earlier statement. A write committed since (the day's first)
    may have moved it and taken off what lapsed: the counts are then read again with the
    day they came with, so that nothing is taken off twice. The day is passed as a value
    rather than read in the statement, so that the planner knows the range it corrects.
    """
    rows: list[tuple[Any, ...]] = []
    for _ in range(2):  # the day moves at most once a day
        rows = [tuple(r) for r in await session.execute(_kept_statement(f, day))]
        days = {r[4] for r in rows}
        if days <= {day}:
            break
        day = days.pop()
    return [r[:4] for r in rows]


async def _rows(
    session: AsyncSession, key: Hashable | None, load: Callable[[], Awaitable[list[Any]]]
) -> list[tuple[Any, ...]]:
    """The rows of one count, from the cache when this catalog version has made them."""
    if key is not None and key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    rows = await load()
    if key is not None:
        _cache[key] = rows
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return rows


async def _counted(
    session: AsyncSession,
    count: str,
    f: CatalogFilter,
    conds: dict[str, ColumnElement[bool]],
    version: uuid.UUID | None,
) -> list[tuple[Any, ...]]:
    left_out: dict[str, Any] = dict.fromkeys(LEFT_OUT[count])
    key = (version, count, astuple(replace(f, **left_out)))  # `today` is part of it
    others = {k: c for k, c in conds.items() if k not in left_out}
    statement = _statement(count, others, f.today)

    async def load() -> list[tuple[Any, ...]]:
        return [tuple(r) for r in await session.execute(statement)]

    return await _rows(session, None if version is None else key, load)


def _values(pairs: Iterable[tuple[str, int]]) -> list[FacetValue]:
    totals: Counter[str] = Counter()
    for value, n in pairs:
        totals[value] += n
    # Kept counts corrected for the day can leave a key at zero.
    shown = [(v, n) for v, n in totals.items() if n > 0]
    return [FacetValue(value=v, count=n) for v, n in sorted(shown, key=_by_count)]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


async def facets(
    session: AsyncSession, f: CatalogFilter, conds: dict[str, ColumnElement[bool]]
) -> Facets:
    state = await entries.state(session)
    version = None if state is None else state[0]
    if state is not None and conds.keys() <= KEPT:
        key = (version, "kept", f.channel, f.hs_code, f.today)
        day = state[1]
        kept = await _rows(session, key, lambda: _kept(session, f, day))
        # Products holding the certification filtered by, or all of them.
        place_doc = f.certification or ""
        places = [(c, p, n) for d, c, p, n in kept if d == place_doc]
        certs = [r for r in kept if r[0] != ""]
    else:
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
