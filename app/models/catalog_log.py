"""The catalog rows that refreshes replaced, kept for a while (app/catalog/changes.py).

Each table is its live table's columns, under the same names and without their keys,
plus `born_seq` and `retired_seq`: a count written against the live tables can then be
pointed at the rows as they were at an earlier `CatalogState.seq`. A row was live from
its `born_seq` until its `retired_seq` (excluded).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, PrimaryKeyConstraint, Table

from app.core.db import Base, table_of
from app.models.catalog import CatalogCertification, CatalogChannel, CatalogEntry
from app.models.search import SearchTerm


def _retired(live: Table, name: str, *key: str) -> Table:
    """`live`'s columns, and when its row was written (the entry's) and replaced."""
    born_seq = [] if "born_seq" in live.c else [Column("born_seq", BigInteger, nullable=False)]
    return Table(
        name,
        Base.metadata,
        *(Column(c.name, c.type, nullable=c.nullable) for c in live.c),
        *born_seq,
        Column("retired_seq", BigInteger, nullable=False),
        PrimaryKeyConstraint("product_id", "retired_seq", *key),
        Index(f"ix_{name}_retired_seq", "retired_seq"),
    )


retired_entries = _retired(table_of(CatalogEntry), "catalog_retired_entries")
retired_certifications = _retired(
    table_of(CatalogCertification), "catalog_retired_certifications", "doc_type"
)
retired_channels = _retired(table_of(CatalogChannel), "catalog_retired_channels", "channel_id")
# A product's terms before the approval of a new revision replaced them.
retired_terms = _retired(table_of(SearchTerm), "catalog_retired_terms", "term")
