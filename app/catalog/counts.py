"""Facet counts kept by the writes, so that no request has to count the whole catalog.

`catalog_facet_counts` holds, per channel (or EVERY_CHANNEL), document type ('' for
the products themselves), category, HS code and province, how many catalog rows have
that key. It answers the facets of every filter made of channel, certification, HS
code, category and province alone (app/catalog/facets.py) by reading a few thousand
rows.

Visibility changes with the date, not only with writes: a row shows while its last day
(`visible_until`, `shown_until`) is today or later. The counts therefore hold the rows
whose last day is None or on or after one day, `catalog_state.counted_from`, and a
reader corrects them by the rows whose last day falls between that day and today: an
indexed range of the rows lapsing in those days, usually none since every catalog write
first moves the day to today.

Each refresh takes off what its products' rows added and adds what their new rows add,
both computed from the catalog tables themselves (`catalog_channels` copies the
channels), so the two always cancel. Every writer to the catalog tables locks the
catalog state row before touching them and holds it to its commit, so they take turns.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    String,
    Uuid,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from app.models import (
    CatalogCertification,
    CatalogChannel,
    CatalogEntry,
    CatalogFacetCount,
    CatalogState,
)

EVERY_CHANNEL = uuid.UUID(int=0)
# HS codes are digits: every code under a prefix sorts between it and it + "9"s, a
# range an index serves under any collation (LIKE alone needs a C collation for that).
HS_CODE_END = "9" * 10
KEY = ("channel_id", "doc_type", "category", "hs_code", "province")
# Which last days a statement takes: a condition on the last-day column.
Days = Callable[[Any], ColumnElement[bool]]


def under_hs_code(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` holds an HS code starting with `prefix`."""
    return and_(
        column >= prefix,
        column <= prefix + HS_CODE_END,
        column.startswith(prefix, autoescape=True),
    )


def counted_from(day: date) -> Days:
    """Rows counted with the counts from `day` on: no last day, or `day` or later."""
    return lambda last: or_(last.is_(None), last >= day)


def between(first: date, stop: date) -> Days:
    """Rows whose last day is `first` or later and before `stop`."""
    return lambda last: and_(last >= first, last < stop)


def keyed_rows(
    days: Days,
    where: Callable[[Any], list[ColumnElement[bool]]] = lambda _: [],
    channel: Any = None,
) -> Select[Any]:
    """(channel_id, doc_type, category, hs_code, province, n): rows in `days` by key.

    `where(product_id column)` narrows the products; `channel` is EVERY_CHANNEL or a
    channel id (a value or a scalar subquery) for one channel's keys, None for all keys.
    """
    entry, cert, listed = CatalogEntry, CatalogCertification, CatalogChannel
    every = literal(EVERY_CHANNEL, Uuid())
    parts: list[Any] = []
    for source, doc_type, last in (
        (entry, literal("", String()), entry.visible_until),
        (cert, cert.doc_type, cert.shown_until),
    ):
        columns = [doc_type.label("doc_type"), source.category, source.hs_code, source.province]
        conds = [days(last), *where(source.product_id)]
        if channel is None or channel is EVERY_CHANNEL:
            parts.append(select(every.label("channel_id"), *columns).where(*conds))
        if channel is not EVERY_CHANNEL:
            per_channel = (
                select(listed.channel_id, *columns)
                .join(listed, listed.product_id == source.product_id)
                .where(*conds)
            )
            if channel is not None:
                per_channel = per_channel.where(listed.channel_id == channel)
            parts.append(per_channel)
    rows = union_all(*parts).subquery("keyed")
    key: list[Any] = [rows.c[k] for k in KEY]
    return select(*key, func.count().label("n")).group_by(*key)


def add(dialect: str, rows: Select[Any], sign: int) -> list[Executable]:
    """Add (sign 1) or take off (sign -1) keyed rows; keys left at zero go."""
    counts = CatalogFacetCount
    module: Any = postgresql if dialect == "postgresql" else sqlite
    keyed = rows.subquery("delta")
    # SQLite reads ON CONFLICT after a bare FROM as a join's ON: a WHERE ends the FROM.
    delta = select(*(keyed.c[k] for k in KEY), keyed.c.n * sign).where(true())
    upsert = module.insert(counts).from_select([*KEY, "n"], delta)
    upsert = upsert.on_conflict_do_update(
        index_elements=list(KEY), set_={"n": counts.n + upsert.excluded.n}
    )
    return [upsert, delete(counts).where(counts.n == 0)]


def recounted(day: date) -> list[Executable]:
    """Count every row afresh, from `day`."""
    return [
        delete(CatalogFacetCount),
        insert(CatalogFacetCount).from_select([*KEY, "n"], keyed_rows(counted_from(day))),
        update(CatalogState).values(counted_from=day),
    ]


def moved(dialect: str, old: date, new: date) -> list[Executable]:
    """Move the counts from counting from `old` to counting from `new`."""
    if new == old:
        return []
    sign, days = _moving(old, new)
    return [*add(dialect, keyed_rows(days), sign), update(CatalogState).values(counted_from=new)]


def _moving(old: date, new: date) -> tuple[int, Days]:
    """What moving the counts from `old` to `new` does: the sign and the rows it adds
    or takes off, those lapsed in between (-1) or not yet counted (1)."""
    return (-1, between(old, new)) if new > old else (1, between(new, old))


def as_of(channel: Any, today: date, day: date, hs_code: str | None) -> Any:
    """(doc_type, category, province, n, counted_from) of one channel's keys (or
    EVERY_CHANNEL's) under an HS code prefix (None: any), for the rows showing `today`
    if the counts count from `day`. Each row also carries the day they count from as
    this statement reads it: the caller reads them again if it is not `day`."""
    counts = CatalogFacetCount
    rows: Any = select(*(counts.__table__.c[k] for k in KEY[1:]), counts.n).where(
        counts.channel_id == channel
    )
    if today != day:
        # As `moved` would make them, without writing.
        sign, days = _moving(day, today)
        moving = keyed_rows(days, channel=channel).subquery("moving")
        rows = union_all(rows, select(*(moving.c[k] for k in KEY[1:]), moving.c.n * sign))
    found = rows.subquery("found")
    counted = select(CatalogState.counted_from).where(CatalogState.id == 1).scalar_subquery()
    place = [found.c.doc_type, found.c.category, found.c.province, counted]
    under = [] if hs_code is None else [under_hs_code(found.c.hs_code, hs_code)]
    return select(*place[:3], func.sum(found.c.n), counted).where(*under).group_by(*place)
