"""Durations and medians in SQL, the same on PostgreSQL and SQLite.

SQLite has no `percentile_cont`, so a median is taken the portable way on both: rank the
values with window functions and average the middle one (odd count) or two (even
count). Durations are whole seconds, rounded by the database, so that both databases
give the same median to the last digit (SQLite reads timestamps to the millisecond).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, func, or_, select


def seconds_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """`later - earlier` in whole seconds (NULL when either is NULL)."""
    if dialect == "postgresql":
        return func.round(func.extract("epoch", later - earlier))
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400)


def median(rows: FromClause, value: str, *keys: str) -> Select[Any]:
    """The median of the non-null `rows.c[value]` by `keys`: the rows (*keys, median),
    one per key present; without keys, one row whose median is NULL when there is no
    value."""
    part = [rows.c[k] for k in keys]
    v = rows.c[value]
    window: dict[str, Any] = {"partition_by": part or None}
    ranked = (
        select(
            *part,
            v.label("v"),
            func.row_number().over(order_by=v, **window).label("rank"),
            func.count().over(**window).label("n"),
        )
        .where(v.isnot(None))
        .subquery("ranked")
    )
    rank, n = ranked.c.rank, ranked.c.n
    # Integer division: the middle rank for an odd n, the two middle ranks for an even n.
    middle = or_(rank == (n + 1) // 2, rank == (n + 2) // 2)
    kept = [ranked.c[k] for k in keys]
    return select(*kept, func.avg(ranked.c.v).label("median")).where(middle).group_by(*kept)


HOUR = Decimal(3600)
HUNDREDTH = Decimal("0.01")


def hours(seconds: Any) -> float | None:
    """Seconds from the database (a Decimal or a float) as hours to two decimals, half up."""
    if seconds is None:
        return None
    return float((Decimal(str(seconds)) / HOUR).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))
