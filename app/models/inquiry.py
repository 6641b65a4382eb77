from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class Inquiry(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "inquiries"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"), index=True)
    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    quantity: Mapped[int]
    message: Mapped[str] = mapped_column(Text)
    incoterm: Mapped[str | None] = mapped_column(String(3))
    destination_port: Mapped[str | None] = mapped_column(String(100))
    target_price_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    target_price_currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="open")


class InquiryMessage(UUIDPrimaryKey, Base):
    __tablename__ = "inquiry_messages"
    __table_args__ = (
        Index("ix_inquiry_messages_inquiry_id_created_at", "inquiry_id", "created_at"),
    )

    inquiry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inquiries.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShortlistItem(Base):
    __tablename__ = "shortlist_items"

    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
