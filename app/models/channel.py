from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow

if TYPE_CHECKING:
    from app.models.product import Product


class Channel(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "channels"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[dict[str, Any]]
    kind: Mapped[str] = mapped_column(String(20))
    venue: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Whom a buyer without an account asks about a product shown here (the public page).
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))


class Listing(UUIDPrimaryKey, Base):
    """A product published in a channel."""

    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("channel_id", "product_id"),)

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id"))
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    booth: Mapped[str | None] = mapped_column(String(50))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))

    channel: Mapped[Channel] = relationship(lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")
