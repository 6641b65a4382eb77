from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, JSONType, UUIDPrimaryKey, utcnow


class Transition(UUIDPrimaryKey, Base):
    """One append-only entry of a product's audit trail."""

    __tablename__ = "transitions"
    __table_args__ = (Index("ix_transitions_product_id_at", "product_id", "at"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    product_version: Mapped[int]


class AppendOnly(Exception):
    """Code tried to change or remove an entry of the audit trail."""


@event.listens_for(Transition, "before_update")
@event.listens_for(Transition, "before_delete")
def _append_only(_mapper: Any, _connection: Any, target: Transition) -> None:
    # On every database, for the ORM; on PostgreSQL a trigger refuses any other path too
    # (migration 0003_append_only_transitions).
    raise AppendOnly(f"transition {target.id} is part of the audit trail and never changes")


class Review(UUIDPrimaryKey, Base):
    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_product_id_started_at", "product_id", "started_at"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    product_version: Mapped[int]
    curator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str | None] = mapped_column(String(20))
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    score: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
