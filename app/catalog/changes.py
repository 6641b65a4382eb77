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
a refresh of more than LOGGED products at once) starts a new `lineage`, and counts of an
older lineage are made again. A re-pricing changes yen prices in place, and a channel
opened or closed changes what the channel filter reads from the channel itself: neither
is in the log, so each moves a mark on the catalog state instead (`priced`, `opened`),
and only the counts whose filter reads it, a yen price or a channel, are made again.

A query's count reads search terms too: the approval of a new revision keeps the terms
it replaces (`retire_terms`), and the rows as they were read the terms as they were:
the kept ones for the products whose terms were replaced since, else the current ones.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    Select,
    Table,
    TableClause,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql import Alias, Subquery, visitors
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.sql.visitors import ExternallyTraversible

from app.core.db import table_of
from app.models import (
    CatalogCertification,
    CatalogChannel,
    CatalogEntry,
    SearchTerm,
    retired_certifications,
    retired_channels,
    retired_entries,
    retired_terms,
)

# A refresh of more products than this starts a new lineage rather than copying them.
LOGGED = 1000
# Replaced rows are kept for this many versions; a count at most BEHIND versions old
# is brought up to date, so every row it needs is still there.
KEEP = 1000
BEHIND = KEEP // 2
# Each live table and where its replaced rows are kept, under the same column names.
RETIRED: dict[Table, Table] = {
    table_of(live): kept
    for live, kept in (
        (CatalogEntry, retired_entries),
        (CatalogCertification, retired_certifications),
        (CatalogChannel, retired_channels),
    )
}
SEARCH_TERMS = table_of(SearchTerm)
# A kept term no query holds (queries have no empty words), marking a re-indexing.
REPLACED = ""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Every table of replaced rows.
KEPT = [*RETIRED.values(), retired_terms]


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
    return [delete(kept).where(kept.c.retired_seq <= seq - KEEP) for kept in KEPT]


def written_since(seq: int) -> ColumnElement[bool]:
    """Live catalog entries written after version `seq`."""
    return CatalogEntry.born_seq > seq


def as_at(statement: Select[Any], seq: int, *, terms: bool = False) -> Select[Any]:
    """`statement`, a count over the live catalog tables, over the rows that were live at
    version `seq` and have been replaced since instead; with `terms`, over the search
    terms replaced since as well (for the products in `terms_replaced_since`)."""
    then = {live.name: kept for live, kept in RETIRED.items()}
    if terms:
        then[SEARCH_TERMS.name] = retired_terms
    made: dict[str, Subquery] = {}  # by the name of the table or alias they stand for

    def stand_in(source: Any) -> Subquery | None:
        """What stands for a table, or an alias of one (search terms are aliased)."""
        table = source.element if isinstance(source, Alias) else source
        if not isinstance(table, TableClause) or table.name not in then:
            return None
        if source.name not in made:
            made[source.name] = _live_at(table, then[table.name], seq)
        return made[source.name]

    def replace(element: ExternallyTraversible, **_: Any) -> ExternallyTraversible | None:
        if isinstance(element, ColumnClause):
            columns = stand_in(element.table)
            return None if columns is None else columns.c[element.name]
        if isinstance(element, (TableClause, Alias)):
            return stand_in(element)
        return None

    opts: dict[str, Any] = {}
    return cast(Select[Any], visitors.replacement_traverse(statement, opts, replace))


def _live_at(live: TableClause, kept: Table, seq: int) -> Subquery:
    """The kept rows live at `seq`, as `live`'s columns. A plain filtered SELECT, which
    PostgreSQL pulls up into the count and probes by key."""
    columns = [kept.c[c.name] for c in live.c]
    return select(*columns).where(kept.c.born_seq <= seq, kept.c.retired_seq > seq).subquery()


def terms_replaced_since(seq: int) -> ColumnElement[bool]:
    """The catalog entry's product has had its search terms replaced after `seq`: its
    terms at `seq` are kept ones, else they are its current ones."""
    kept = retired_terms.c
    return exists().where(kept.product_id == CatalogEntry.product_id, kept.retired_seq > seq)


def retire_terms(product_id: uuid.UUID, seq: int) -> Executable:
    """Keep a product's search terms before a re-indexing replaces them at `seq`. They
    were written when the terms before them were replaced, or before anything kept.

    With them goes a row of the term REPLACED, so that a product whose text had no term
    at all is known to have had its terms replaced too (`terms_replaced_since`), rather
    than being read with the terms it has now.
    """
    live, kept = SEARCH_TERMS, retired_terms
    names = [c.name for c in live.c]
    earlier = select(func.coalesce(func.max(kept.c.retired_seq), 0)).where(
        kept.c.product_id == product_id
    )
    seqs = [earlier.scalar_subquery(), literal(seq)]
    rows = select(*(live.c[n] for n in names), *seqs).where(live.c.product_id == product_id)
    marker = {
        "product_id": literal(product_id, live.c.product_id.type),
        "term": literal(REPLACED, live.c.term.type),
        "weight": literal(0, live.c.weight.type),
        "approved_at": literal(EPOCH, live.c.approved_at.type),
    }
    replaced = select(*(marker[n] for n in names), *seqs)
    return insert(kept).from_select([*names, "born_seq", "retired_seq"], union_all(rows, replaced))
