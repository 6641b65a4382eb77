from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType, UUIDPrimaryKey, utcnow
from app.models.curation import AppendOnly


class SupplierReview(UUIDPrimaryKey, Base):
    """One append-only entry of an MSME's supplier reviews (SPEC §10): its audit trail."""

    __tablename__ = "supplier_reviews"
    __table_args__ = (Index("ix_supplier_reviews_msme_id_created_at", "msme_id", "created_at"),)

    msme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("msmes.id"))
    curator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    # [{criterion, result, note}], as the curator recorded it.
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(SupplierReview, "before_update")
@event.listens_for(SupplierReview, "before_delete")
def _append_only(_mapper: Any, _connection: Any, target: SupplierReview) -> None:
    # On PostgreSQL a trigger refuses any other path too (migration 0009_suppliers).
    raise AppendOnly(f"supplier review {target.id} is part of the audit trail and never changes")
