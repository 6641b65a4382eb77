"""Facet counts for a filter: by category, province, certification and channel.

One statement. Its inner part is a GROUP BY over the entries that pass every filter but
the four faceted ones, by (category, province, certifications, channels): a few
thousand groups for a whole catalog, read from one index on PostgreSQL. Its outer part
counts, for each facet, the groups that pass every faceted filter but its own, by that
facet's value, so a buyer sees what each other choice would give (GROUPING SETS on
PostgreSQL; on SQLite, which has none, one GROUP BY per facet). Rows whose certifications
or channels changed by time since they were written (an optional certificate, one of
several exhibitions that ended) are grouped by their sets as they stand today, in a
second inner part (app/catalog/sync.py).

`count` runs the statement; `labelled` names the values in the buyer's language. A page
counts beside its own queries on PostgreSQL (app/catalog/service.py `search`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, null, select, true, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.filters import FACETED, CatalogFilter, Entry
from app.catalog.language import pick
from app.catalog.schemas import Facets, FacetValue
from app.catalog.sync import current_certifications, current_channels, lasts_until
from app.standards.provinces import NAMES as PROVINCE_NAMES
from app.standards.table import CATEGORIES_BY_CODE, DOCUMENT_TYPES_BY_CODE

KEYS = ("category", "province", "certifications", "channels")  # by facet, in FACETED order


def _groups(conds: dict[str, ColumnElement[bool]], f: CatalogFilter, dialect: str) -> Any:
    """(category, province, certifications, channels, n) of the entries passing `conds`
    but the faceted filters, by their sets as they stand today."""
    others = [c for k, c in conds.items() if k not in FACETED]
    n = func.count().label("n")
    as_written = (
        select(Entry.category, Entry.province, Entry.certifications, Entry.channels, n)
        .where(*others, lasts_until(Entry.sets_until, f.today))
        .group_by(Entry.category, Entry.province, Entry.certifications, Entry.channels)
    )
    changed = (
        select(
            Entry.category,
            Entry.province,
            current_certifications(f.today, dialect).label("certifications"),
            current_channels(f.today, dialect).label("channels"),
        )
        .where(*others, Entry.sets_until < f.today)
        .subquery("changed")
    )
    keys = [changed.c[k] for k in KEYS]
    return union_all(as_written, select(*keys, func.count()).group_by(*keys)).subquery("groups")


def _holds(codes: Any, code: str) -> ColumnElement[bool]:
    """A space-separated list of codes holds `code`."""
    spaced: ColumnElement[str] = literal(" ") + codes + literal(" ")
    return spaced.contains(f" {code} ", autoescape=True)


def statement(conds: dict[str, ColumnElement[bool]], f: CatalogFilter, dialect: str) -> Any:
    """Rows of one facet each: its value in its own column (the others NULL), and the
    count for it in the column of the facet."""
    groups = _groups(conds, f, dialect)
    keys = [groups.c[k] for k in KEYS]
    chosen = {
        "category": groups.c.category == f.category if f.category else true(),
        "province": groups.c.province == f.province if f.province else true(),
        "certification": _holds(groups.c.certifications, f.certification)
        if f.certification
        else true(),
        "channel": _holds(groups.c.channels, f.channel) if f.channel else true(),
    }
    counts = [
        func.sum(groups.c.n).filter(and_(*(c for other, c in chosen.items() if other != name)))
        for name in FACETED
    ]
    if dialect == "postgresql":
        return select(*keys, *counts).group_by(func.grouping_sets(*(tuple_(k) for k in keys)))
    return union_all(
        *(select(*(k if k is key else null() for k in keys), *counts).group_by(key) for key in keys)
    )


Counts = dict[str, Counter[str]]  # by facet (FACETED), by value


async def count(
    session: AsyncSession, conds: dict[str, ColumnElement[bool]], f: CatalogFilter, dialect: str
) -> Counts:
    counts: Counts = {name: Counter() for name in FACETED}
    for row in await session.execute(statement(conds, f, dialect)):
        values, found = row[:4], row[4:]
        for name, value, n in zip(FACETED, values, found, strict=True):
            if value is not None:
                # The certifications and channels of a group are lists of codes.
                for code in value.split() if name in ("certification", "channel") else [value]:
                    counts[name][code] += n or 0
                break
    return counts


def labelled(counts: Counts, *, lang: str, channels: dict[str, dict[str, str]]) -> Facets:
    """`channels`: every channel's name by its code."""
    return Facets(
        category=_values(
            counts["category"],
            lambda c: pick(CATEGORIES_BY_CODE[c].name, lang) if c in CATEGORIES_BY_CODE else c,
        ),
        province=_values(counts["province"], lambda p: pick(PROVINCE_NAMES.get(p, {}), lang) or p),
        certification=_values(
            counts["certification"], lambda d: pick(DOCUMENT_TYPES_BY_CODE[d].name, lang)
        ),
        channel=_values(counts["channel"], lambda c: pick(channels.get(c, {}), lang) or c),
    )


def _values(counts: Counter[str], label: Any) -> list[FacetValue]:
    shown = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [FacetValue(value=v, label=label(v), count=n) for v, n in shown if n > 0]
