"""The catalog's change log: a count made at one version, brought up to date.

The facets of a filter that the kept counts (app/catalog/counts.py) cannot answer, a
query, a MOQ or a price, are counted once and cached (app/catalog/facets.py). Counting
them again after every write took most of a second at a million listings. Instead each
refresh keeps the rows it replaces (app/models/catalog_log.py) under the `seq` its
commit gives the catalog, and stamps the rows it writes with that `seq`, so that for a
count made at `seq` v:

    count now = count at v + (live rows written after v) - (rows live at v, replaced since)

Both sides go through the count's own SQL, pointed at those few rows: the live tables
restricted to `born_seq` > v, and the kept rows as they were at v. A row was live from
its `born_seq` until its `retired_seq`. A write that is not logged this way (a rebuild,
a re-pricing, a refresh of more than LOGGED products at once) starts a new `lineage`,
and counts of an older lineage are made again.

Search terms are not kept: a query's count reads the current terms for the rows as they
were, which is right unless the product has had another revision approved since
(`terms_moved`); such a count is made again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    Table,
    TableClause,
    delete,
    exists,
    insert,
    literal,
    select,
)
from sqlalchemy.sql import Subquery, visitors
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.sql.visitors import ExternallyTraversible

from app.models import (
    CatalogCertification,
    CatalogChannel,
    CatalogEntry,
    Product,
    retired_certifications,
    retired_channels,
    retired_entries,
)

# A refresh of more products than this starts a new lineage rather than copying them.
LOGGED = 1000
# Replaced rows are kept for this many versions; a count at most BEHIND versions old
# is brought up to date, so every row it needs is still there.
KEEP = 1000
BEHIND = KEEP // 2
# Each live table and where its replaced rows are kept, under the same column names.
RETIRED: dict[Table, Table] = {
    cast(Table, live.__table__): kept
    for live, kept in (
        (CatalogEntry, retired_entries),
        (CatalogCertification, retired_certifications),
        (CatalogChannel, retired_channels),
    )
}


def logged(scope: object) -> bool:
    """A refresh of `scope` keeps the rows it replaces (else it starts a new lineage)."""
    return isinstance(scope, Sequence) and len(scope) <= LOGGED


def retire(ids: Sequence[uuid.UUID], seq: int) -> list[Executable]:
    """Keep the live rows of products `ids` before a refresh replaces them at `seq`.

    Rows written earlier in the same transaction (born at `seq` too) never were live in
    any committed version, and are not kept.
    """
    entry = CatalogEntry
    written_before = [entry.product_id.in_(ids), entry.born_seq < seq]
    statements: list[Executable] = []
    for live, kept in RETIRED.items():
        names = [c.name for c in live.c if c.name != "born_seq"]
        rows = select(*(live.c[n] for n in names), entry.born_seq, literal(seq))
        if live is not entry.__table__:
            rows = rows.join_from(live, entry, entry.product_id == live.c.product_id)
        columns = [*names, "born_seq", "retired_seq"]
        statements.append(insert(kept).from_select(columns, rows.where(*written_before)))
    return statements


def forget(seq: int) -> list[Executable]:
    """Drop the rows replaced KEEP or more versions before `seq`."""
    return [delete(kept).where(kept.c.retired_seq <= seq - KEEP) for kept in RETIRED.values()]


def written_since(seq: int) -> ColumnElement[bool]:
    """Live catalog entries written after version `seq`."""
    return CatalogEntry.born_seq > seq


def as_at(statement: Select[Any], seq: int) -> Select[Any]:
    """`statement`, a count over the live catalog tables, over the rows that were live at
    version `seq` and have been replaced since instead."""
    then: dict[str, Subquery] = {
        live.name: _live_at(live, kept, seq) for live, kept in RETIRED.items()
    }

    def replace(element: ExternallyTraversible, **_: Any) -> ExternallyTraversible | None:
        if isinstance(element, TableClause) and element.name in then:
            return then[element.name]
        if isinstance(element, ColumnClause):
            table = element.table
            if isinstance(table, TableClause) and table.name in then:
                column: ExternallyTraversible = then[table.name].c[element.name]
                return column
        return None

    opts: dict[str, Any] = {}
    return cast(Select[Any], visitors.replacement_traverse(statement, opts, replace))


def _live_at(live: Table, kept: Table, seq: int) -> Subquery:
    columns = [kept.c[c.name] for c in live.c]
    return (
        select(*columns)
        .where(kept.c.born_seq <= seq, kept.c.retired_seq > seq)
        .subquery(f"{live.name}_at")
    )


def terms_moved(seq: int) -> ColumnElement[bool]:
    """Some product replaced since version `seq` has had another revision approved since,
    so its search terms are no longer those it had then."""
    kept = retired_entries.c
    return exists().where(
        kept.born_seq <= seq,
        kept.retired_seq > seq,
        Product.id == kept.product_id,
        Product.approved_revision_id != kept.revision_id,
    )
