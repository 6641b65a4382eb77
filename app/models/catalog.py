"""The catalog as buyers query it: one row per published product, kept by the writes.

Products, revisions, MSMEs, listings and documents stay the record; these tables are
derived from them (app/catalog/entries.py) so a catalog page reads one narrow table
through an index in its sort order, instead of joining five per request.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base

# Sort keys for unpriced products (no FX rate yet): last in both price orders.
PRICE_MISSING_HIGH = Decimal("1e15")
PRICE_MISSING_LOW = Decimal(-1)


class CatalogEntry(Base):
    """A product with an approved revision, not archived, listed in an active channel.

    `visible_until` is the last day it shows (None: no end): the earlier of its required
    certificates' expiry and its channels' last day. Comparing it with today hides a
    listing the moment either lapses, with no job to run.
    """

    __tablename__ = "catalog_entries"
    # One index per sort, and per sort under the filters buyers use most; the planner
    # walks one in order and stops after a page.
    __table_args__ = (
        Index("ix_catalog_entries_newest", "approved_at", "product_id"),
        Index("ix_catalog_entries_category", "category", "approved_at", "product_id"),
        Index("ix_catalog_entries_province", "province", "approved_at", "product_id"),
        Index("ix_catalog_entries_hs_code", "hs_code", "approved_at", "product_id"),
        Index("ix_catalog_entries_price_low", "price_low", "product_id"),
        Index("ix_catalog_entries_price_high", "price_high", "product_id"),
        # The rows whose last day falls between two dates (app/catalog/counts.py).
        Index("ix_catalog_entries_visible_until", "visible_until"),
        # The rows written since a version (app/catalog/changes.py).
        Index("ix_catalog_entries_born_seq", "born_seq"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    revision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("revisions.id"))
    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    hs_code: Mapped[str] = mapped_column(String(10))
    province: Mapped[str] = mapped_column(String(60))
    price_jpy: Mapped[Decimal | None] = mapped_column(Numeric(18, 0))
    price_low: Mapped[Decimal] = mapped_column(Numeric(18, 0))
    price_high: Mapped[Decimal] = mapped_column(Numeric(18, 0))
    moq: Mapped[int | None]
    approved_at: Mapped[datetime]
    visible_until: Mapped[date | None]
    # `CatalogState.seq` of the commit that wrote the row (app/catalog/changes.py).
    born_seq: Mapped[int] = mapped_column(BigInteger)


class CatalogCertification(Base):
    """A document type a catalog product holds verified, its own or its MSME's.

    `valid_until` is the latest expiry among those documents (None: one never expires).
    The entry's category, HS code and province, and `shown_until`, the earlier of
    `valid_until` and the entry's last visible day, are copied here for the facet counts
    (app/catalog/counts.py), which count this table without joining the entries.
    """

    __tablename__ = "catalog_certifications"
    __table_args__ = (Index("ix_catalog_certifications_shown_until", "shown_until"),)

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_entries.product_id"), primary_key=True
    )
    doc_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    valid_until: Mapped[date | None]
    category: Mapped[str] = mapped_column(String(40))
    hs_code: Mapped[str] = mapped_column(String(10))
    province: Mapped[str] = mapped_column(String(60))
    shown_until: Mapped[date | None]


class CatalogChannel(Base):
    """An active channel a catalog product is listed in.

    Copied from the listings so that the facet counts (CatalogFacetCount) take off
    exactly the channels they added, whatever happened to the listings in between.
    """

    __tablename__ = "catalog_channels"
    __table_args__ = (Index("ix_catalog_channels_channel", "channel_id", "product_id"),)

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_entries.product_id"), primary_key=True
    )
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"), primary_key=True)


class CatalogFacetCount(Base):
    """How many catalog rows share a facet key, kept by the writes (app/catalog/counts.py).

    Keyed by channel (EVERY_CHANNEL for the whole catalog), `doc_type` ('' for the
    products themselves, else the products holding that certification), category, HS
    code and province. Only rows whose last day is None or on or after `CatalogState.counted_from`
    are counted; the rows lapsing between that day and today are counted on reading.
    """

    __tablename__ = "catalog_facet_counts"

    channel_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    hs_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    province: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int]


class CatalogState(Base):
    """One row; `version` changes with every commit that changes the catalog.

    Caches of derived answers (facet counts) are keyed by it. A random value rather
    than a counter, so two databases never share one. `counted_from` is the day the
    kept facet counts (CatalogFacetCount) are counted from.

    `seq` counts those commits. The old rows of the products each one refreshed are kept
    under it (app/catalog/changes.py), so that a count made at an earlier `seq` can be
    brought up to date; `lineage` changes, random, whenever a write was not logged so (a
    rebuild, a bulk refresh), and no count is carried across it. `priced` and `opened`
    change, random, with what the log does not keep either but only some filters read:
    yen prices changed in place (a re-pricing), and a channel opened or closed. Only the
    counts filtered by a yen price, or by a channel, are made again then.
    """

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[uuid.UUID]
    counted_from: Mapped[date]
    seq: Mapped[int] = mapped_column(BigInteger)
    lineage: Mapped[uuid.UUID]
    priced: Mapped[uuid.UUID]
    opened: Mapped[uuid.UUID]
