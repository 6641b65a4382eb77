"""Facet counts: per category, province and certification, for the current filter.

Each facet applies every filter but its own, so a buyer sees how many products each
other choice would give. Two counts serve the three facets: matches by (category,
province), and held certifications by (doc_type, category, province). Both leave the
category and province filters out of their SQL and apply them here, so one count
answers every choice of category and province.

A filter of channel, certification, HS code, category and province alone, the catalog's
first page among them, reads the counts the writes keep (app/catalog/counts.py). Any other
filter counts its matches, which at a million listings takes longer than a page
should; those counts are cached per filter with the catalog version and the day they
were made at. After a write they are brought up to date by counting only the rows
written and replaced since (app/catalog/changes.py), and on a later day by counting
only the rows whose last day came in between, so a cached count is never stale.
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from dataclasses import astuple, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select, true, union, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import changes, counts, entries
from app.catalog.query import CatalogFilter, Entry, conditions, held, open_channel_id
from app.catalog.schemas import Facets, FacetValue
from app.models import CatalogCertification, CatalogState

CACHE_SIZE = 4096
_cache: OrderedDict[Hashable, Any] = OrderedDict()
# Filters each count leaves out of its SQL (category and province are applied here).
PLACE = ("category", "province")
LEFT_OUT = {"place": PLACE, "certification": (*PLACE, "certification")}
# Filters the kept counts (app/catalog/counts.py) answer without counting.
KEPT = {"visible", "channel", "certification", "hs_code", *PLACE}
# A count is carried to a later day by the rows whose last day came in between, for up
# to this many days (a channel's count is not: it reads whether the channel is open).
# At a million listings, a week's lapses took 34-110 ms to carry a count across, where
# counting again took 0.18-1.1 s; a month's took longer than counting.
DAYS_CARRIED = 7


def clear_cache() -> None:
    _cache.clear()


# What some filters read that the change log does not keep: yen prices, changed in
# place by a re-pricing, and whether a channel is open, read from the channel itself.
# Each has a mark on the catalog state (entries.MARKS) that changes with it; a count
# keeps the marks its filter reads, and is made again when one has changed.
MARKED_BY = {"priced": ("min_price_jpy", "max_price_jpy"), "opened": ("channel",)}
Marks = tuple[tuple[str, uuid.UUID], ...]


@dataclass(frozen=True)
class Counted:
    """A count's rows (its key columns, then n) as of catalog version `seq` and `day`,
    with the marks its filter reads, as the count read them."""

    lineage: uuid.UUID
    seq: int
    day: date
    marks: Marks
    rows: list[tuple[Any, ...]]

    def holds_in(self, lineage: uuid.UUID, marks: Mapping[str, uuid.UUID]) -> bool:
        """Nothing it read has changed but by logged writes, for a version of `lineage`
        and `marks`: the change log can bring it to that version."""
        return self.lineage == lineage and all(marks[k] == v for k, v in self.marks)


def marks_read(f: CatalogFilter) -> set[str]:
    # A price of 0 is a filter (it leaves out unpriced products); an empty channel is not.
    return {
        m for m, fields in MARKED_BY.items() if any(getattr(f, n) not in (None, "") for n in fields)
    }


def _statement(count: str, others: list[ColumnElement[bool]], today: date, *, sign: int = 1) -> Any:
    n = (func.count() * sign).label("n")
    if count == "certification":
        cert = CatalogCertification
        # A join of tables, not entities, so that changes.as_at can repoint it.
        joined = cert.__table__.join(Entry.__table__, Entry.product_id == cert.product_id)
        return (
            select(cert.doc_type, Entry.category, Entry.province, n)
            .select_from(joined)
            .where(held(today), *others)
            .group_by(cert.doc_type, Entry.category, Entry.province)
        )
    return select(Entry.category, Entry.province, n).where(*others).group_by(*PLACE)


def _stated(counted: Any) -> Any:
    """Rows (seq, lineage, *marks, *count's row) read in one statement, so that the rows
    are those of that version; one row of the state alone when the count is empty."""
    rows = counted.subquery("counted")
    return (
        select(CatalogState.seq, CatalogState.lineage, *entries.mark_columns(), rows)
        .select_from(CatalogState)
        .outerjoin(rows, true())
        .where(CatalogState.id == 1)
    )


async def _read(
    session: AsyncSession, statement: Any, day: date, marks: Iterable[str]
) -> Counted | None:
    """The count a `_stated` statement read for `day`, keeping the `marks` its filter
    reads."""
    found = (await session.execute(statement)).all()
    if not found:
        return None
    seq, lineage, *values = found[0][: 2 + len(entries.MARKS)]
    read = dict(zip(entries.MARKS, values, strict=True))
    rows = [tuple(r[2 + len(read) :]) for r in found if r[-1] is not None]
    return Counted(lineage, seq, day, tuple((m, read[m]) for m in sorted(marks)), rows)


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


async def _rows(key: Hashable, load: Callable[[], Awaitable[list[Any]]]) -> list[tuple[Any, ...]]:
    """The rows of one count, from the cache when this catalog version has made them."""
    if key in _cache:
        _cache.move_to_end(key)
        cached: list[tuple[Any, ...]] = _cache[key]
        return cached
    rows = await load()
    _keep(key, rows)
    return rows


def _keep(key: Hashable, value: Any) -> None:
    _cache[key] = value
    _cache.move_to_end(key)
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


async def _counted(
    session: AsyncSession,
    count: str,
    f: CatalogFilter,
    conds: dict[str, ColumnElement[bool]],
    state: entries.State | None,
) -> list[tuple[Any, ...]]:
    left_out: dict[str, Any] = dict.fromkeys(LEFT_OUT[count])
    keyed = replace(f, **left_out)
    if not f.channel:  # one count for every day, carried from day to day
        keyed = replace(keyed, today=date.min)
    key = ("counted", count, astuple(keyed))
    others = _others(count, conds)
    cached: Counted | None = _cache.get(key)
    found = None
    if cached is not None and state is not None:
        current = cached.seq == state.seq and cached.day == f.today
        if current and cached.holds_in(state.lineage, state.marks):
            found = cached
        else:
            found = await _brought_up(session, cached, count, others, f, state)
    if found is None:
        statement = _stated(_statement(count, others, f.today))
        found = await _read(session, statement, f.today, marks_read(f))
        if found is None:  # no catalog state yet: nothing written
            return []
    _keep(key, found)
    return list(found.rows)


async def _brought_up(
    session: AsyncSession,
    cached: Counted,
    count: str,
    others: list[ColumnElement[bool]],
    f: CatalogFilter,
    state: entries.State,
) -> Counted | None:
    """`cached` brought up to the version the statement reads (app/catalog/changes.py)
    and to today, or None when it cannot be: another lineage or a mark moved, too old.

    On the day it was made, the count takes what was written since and gives back what
    was replaced. Then, if it was made on an earlier day, it is moved to today over the
    products whose last day, or a certification's, came in between (`_lapsing`): their
    rows are counted as of that day (-1) and as of today (+1). Every other row shows on
    both days alike, as only the last days of entries and certifications depend on the
    day (a channel's count, which reads whether the channel is open, is not carried).
    """
    v, then = cached.seq, cached.day
    too_old = state.seq - v > changes.BEHIND or not 0 <= (f.today - then).days <= DAYS_CARRIED
    if too_old or not cached.holds_in(state.lineage, state.marks):
        return None
    before = others if then == f.today else _others(count, conditions(replace(f, today=then)))
    written = _statement(count, [*before, changes.written_since(v)], then)
    if f.query is None:
        replaced = [changes.as_at(_statement(count, before, then, sign=-1), v)]
    else:  # the products whose terms at v are kept ones, and the others
        moved = changes.terms_replaced_since(v)
        replaced = [
            changes.as_at(_statement(count, [*before, moved], then, sign=-1), v, terms=True),
            changes.as_at(_statement(count, [*before, ~moved], then, sign=-1), v),
        ]
    if then != f.today:
        lapsing = _lapsing(then, f.today)
        replaced.append(_statement(count, [*before, lapsing], then, sign=-1))
        replaced.append(_statement(count, [*others, lapsing], f.today))
    statement = _stated(union_all(written, *replaced))
    delta = await _read(session, statement, f.today, entries.MARKS)
    if (
        delta is None
        or not cached.holds_in(delta.lineage, dict(delta.marks))
        or delta.seq - v > changes.BEHIND
    ):
        return None
    totals: Counter[tuple[Any, ...]] = Counter({r[:-1]: r[-1] for r in cached.rows})
    for r in delta.rows:
        totals[r[:-1]] += r[-1]
    rows = [(*k, n) for k, n in totals.items() if n > 0]
    return Counted(delta.lineage, delta.seq, f.today, cached.marks, rows)


def _others(count: str, conds: dict[str, ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """The conditions a count applies in its SQL."""
    return [c for k, c in conds.items() if k not in LEFT_OUT[count]]


def _lapsing(first: date, stop: date) -> ColumnElement[bool]:
    """The entry's last day, or one of its certifications' (the earlier of the
    certification's and the entry's), is from `first` to before `stop`. Read through
    the indexes on those days, so a few days' lapses are a few rows."""
    days = counts.between(first, stop)
    # Aliases, so that the subqueries do not take the count's own tables as theirs.
    entry = Entry.__table__.alias("lapsing_entry")
    cert = CatalogCertification.__table__.alias("lapsing_certification")
    return Entry.product_id.in_(
        union(
            select(entry.c.product_id).where(days(entry.c.visible_until)),
            select(cert.c.product_id).where(days(cert.c.shown_until)),
        )
    )


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
    if state is not None and conds.keys() <= KEPT:
        key = (state.version, "kept", f.channel, f.hs_code, f.today)
        day = state.counted_from
        kept = await _rows(key, lambda: _kept(session, f, day))
        # Products holding the certification filtered by, or all of them.
        place_doc = f.certification or ""
        places = [(c, p, n) for d, c, p, n in kept if d == place_doc]
        certs = [r for r in kept if r[0] != ""]
    else:
        places = await _counted(session, "place", f, conds, state)
        certs = await _counted(session, "certification", f, conds, state)

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
