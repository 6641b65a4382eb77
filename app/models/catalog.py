"""The catalog as buyers query it: one row per published product, kept by the writes.

Products, revisions, MSMEs, listings and documents stay the record; these tables are
derived from them by one function (app/catalog/sync.py), so a catalog page reads one
table through an index in its sort order instead of joining five per request, and the
facets of any filter are one GROUP BY over it (app/catalog/facets.py).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, WeightedTerms

# Sort keys for unpriced products (no FX rate yet): last in both price orders.
PRICE_MISSING_HIGH = Decimal("1e15")
PRICE_MISSING_LOW = Decimal(-1)
# The columns the filters test, kept in each sort index (PostgreSQL's INCLUDE).
FILTERED = ("visible_until", "category", "province", "hs_code", "moq", "price_jpy")


def sort_index(name: str, *keys: str) -> Index:
    """An index in a catalog order, carrying every filtered column it does not sort by."""
    include = [c for c in FILTERED if c not in keys]
    return Index(f"ix_catalog_entries_{name}", *keys, "product_id", postgresql_include=include)


class CatalogEntry(Base):
    """A product with an approved revision, not archived, listed in an active channel.

    `visible_until` is the last day it shows (None: no end): the earlier of its required
    certificates' expiry and its channels' last day. Comparing it with today hides a
    listing the moment either lapses, with no job to run.

    `certifications` and `channels` are the codes of the buyer-facing certificates it
    holds and of the channels it shows in, sorted and space-separated, as of the day the
    row was written: the keys the facets group by. `sets_until` is the last day they hold
    as written (None: no end); once one of them lapses (an optional certificate, one of
    several exhibitions), a reader takes the row's sets from `catalog_certifications` and
    `catalog_channels` instead (app/catalog/sync.py, `current_certifications`).
    """

    __tablename__ = "catalog_entries"
    __table_args__ = (
        # One index per sort, and per sort under the filters buyers use most; the planner
        # walks one in order and stops after a page. Each carries the columns the other
        # filters test, so that a walk whose filters match little or nothing (which the
        # planner cannot foresee) reads the index alone rather than an entry per step:
        # ~15 ms through every entry at 100,000 instead of ~200.
        sort_index("newest", "approved_at"),
        sort_index("category", "category", "approved_at"),
        sort_index("province", "province", "approved_at"),
        sort_index("hs_code", "hs_code", "approved_at"),
        sort_index("price_low", "price_low"),
        sort_index("price_high", "price_high"),
        # Prices go with the category (furniture costs more than pepper): a category's
        # cheapest are far down the whole catalog's order, so it has an order of its own.
        sort_index("category_price_low", "category", "price_low"),
        sort_index("category_price_high", "category", "price_high"),
        # The facets' GROUP BY, read from the index alone on PostgreSQL.
        Index(
            "ix_catalog_entries_facets",
            "category",
            "province",
            "certifications",
            "channels",
            postgresql_include=["visible_until", "sets_until", "hs_code", "moq", "price_jpy"],
        ),
        Index("ix_catalog_entries_sets_until", "sets_until"),
        Index("ix_catalog_entries_terms", "terms", postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    revision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("revisions.id"))
    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"))
    category: Mapped[str] = mapped_column(String(40))
    hs_code: Mapped[str] = mapped_column(String(10))
    province: Mapped[str] = mapped_column(String(60))
    price_jpy: Mapped[Decimal | None] = mapped_column(Numeric(18, 0))
    price_low: Mapped[Decimal] = mapped_column(Numeric(18, 0))
    price_high: Mapped[Decimal] = mapped_column(Numeric(18, 0))
    moq: Mapped[int | None]
    approved_at: Mapped[datetime]
    visible_until: Mapped[date | None]
    certifications: Mapped[str] = mapped_column(String(400))
    channels: Mapped[str] = mapped_column(String(2000))
    sets_until: Mapped[date | None]
    # What the approved revision is found by (app/catalog/search.py).
    terms: Mapped[dict[str, str]] = mapped_column(WeightedTerms)
    search_text: Mapped[str] = mapped_column(Text)


class CatalogCertification(Base):
    """A buyer-facing certificate a catalog product holds verified, its own or its MSME's;
    `valid_until` is the latest expiry among those documents (None: one never expires)."""

    __tablename__ = "catalog_certifications"
    __table_args__ = (Index("ix_catalog_certifications_doc_type", "doc_type", "product_id"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    valid_until: Mapped[date | None]


class CatalogChannel(Base):
    """An active channel a catalog product is listed in, and the channel's last day."""

    __tablename__ = "catalog_channels"
    __table_args__ = (Index("ix_catalog_channels_code", "code", "product_id"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    last_day: Mapped[date | None]
