from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import (
    Base,
    JSONType,
    PydanticJSON,
    Timestamps,
    UUIDPrimaryKey,
    WeightedTerms,
    utcnow,
)
from app.models.snapshot import RevisionContent

if TYPE_CHECKING:
    from app.models.document import Document
    from app.models.media import Media
    from app.models.msme import Msme


class Product(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("msme_id", "sku"),
        Index("ix_products_status_submitted_at", "status", "submitted_at"),
    )

    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"), index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(40), index=True)
    hs_code: Mapped[str] = mapped_column(String(10))
    name: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    specifications: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    unit: Mapped[str] = mapped_column(String(20))
    price_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    price_currency: Mapped[str | None] = mapped_column(String(3))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    port_of_loading: Mapped[str | None] = mapped_column(String(100))
    moq: Mapped[int | None]
    lead_time_days: Mapped[int | None]
    monthly_capacity: Mapped[int | None]
    shelf_life_days: Mapped[int | None]
    packaging: Mapped[str | None] = mapped_column(Text)
    net_weight_g: Mapped[int | None]
    organic_claim: Mapped[bool] = mapped_column(default=False)
    is_electrical: Mapped[bool] = mapped_column(default=False)
    species: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None]
    approved_revision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )

    msme: Mapped[Msme] = relationship(lazy="raise")
    media: Mapped[list[Media]] = relationship(
        order_by="(Media.position, Media.created_at)", viewonly=True, lazy="raise"
    )
    documents: Mapped[list[Document]] = relationship(
        order_by="Document.created_at", viewonly=True, lazy="raise"
    )
    approved_revision: Mapped[Revision | None] = relationship(
        foreign_keys=[approved_revision_id], lazy="raise"
    )

    # Every ORM UPDATE checks and bumps the version: a concurrent edit loses with 409.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Revision(UUIDPrimaryKey, Base):
    """The immutable snapshot of a product's content that a curator approved."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("product_id", "number"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    number: Mapped[int]
    product_version: Mapped[int]
    review_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reviews.id"))
    approved_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    content: Mapped[RevisionContent] = mapped_column(PydanticJSON(RevisionContent))
    # Columns the catalog filters on, copied from `content`.
    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"))
    category: Mapped[str] = mapped_column(String(40))
    hs_code: Mapped[str] = mapped_column(String(10))
    price_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    price_currency: Mapped[str] = mapped_column(String(3))
    # The price in yen at the latest FX rate, rounded half up; None without a rate.
    # Kept exact here (re-priced when a rate changes) so filters and sorts agree with
    # what buyers see, on every database.
    price_jpy: Mapped[Decimal | None] = mapped_column(Numeric(18, 0))
    moq: Mapped[int | None]
    # What the catalog finds it by (app/catalog/search.py): its terms, weighted by where
    # they stand, and its folded names and descriptions (longer Japanese words are
    # checked in them).
    terms: Mapped[dict[str, str]] = mapped_column(WeightedTerms)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The earliest day a required certificate stops being valid (None: none expires).
    # Kept current when documents are verified, so the catalog can hide a listing the
    # moment a certificate lapses without any job running.
    certified_until: Mapped[date | None]
