from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey


class Document(UUIDPrimaryKey, Timestamps, Base):
    """Evidence for an export standard; private to the owner, curators and admins."""

    __tablename__ = "documents"
    # The daily expiry sweep's query: verified documents expiring by a date.
    __table_args__ = (Index("ix_documents_status_expires_on", "status", "expires_on"),)

    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"), index=True)
    # Set for product-level documents (halal, lab test, ...); None for business-level ones.
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(400), unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="pending_upload")
    note: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The `expires_on` its owner was last warned of (document.expiring, app/documents/expiry.py):
    # a document whose date changes is warned again.
    expiry_warned_for: Mapped[date | None]
