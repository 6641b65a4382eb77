from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, JSONType, Timestamps, UUIDPrimaryKey

if TYPE_CHECKING:
    from app.models.document import Document
    from app.models.user import User


class Msme(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "msmes"

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    brand_name: Mapped[str] = mapped_column(String(200))
    nib: Mapped[str] = mapped_column(String(13), unique=True)
    npwp: Mapped[str | None] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(60), index=True)
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(Text)
    size_class: Mapped[str] = mapped_column(String(10))
    established_year: Mapped[int | None]
    employees: Mapped[int | None]
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # What the MSME can make as an automotive supplier (SPEC §10): the owner's statement,
    # validated by app.msmes.schemas.Capabilities.
    capabilities: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # The last supplier review's outcome: approved | changes_requested | rejected; null
    # when never reviewed (the history is in supplier_reviews).
    supplier_status: Mapped[str | None] = mapped_column(String(20), index=True)
    supplier_score: Mapped[int | None]
    supplier_decided_at: Mapped[datetime | None]

    @property
    def supplier(self) -> dict[str, Any] | None:
        """The supplier status as MsmeOut shows it; None when never reviewed."""
        if self.supplier_status is None:
            return None
        return {
            "status": self.supplier_status,
            "score": self.supplier_score,
            "decided_at": self.supplier_decided_at,
        }

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="raise")
    documents: Mapped[list[Document]] = relationship(
        primaryjoin="and_(Document.msme_id == Msme.id, Document.product_id.is_(None))",
        order_by="Document.created_at",
        viewonly=True,
        lazy="raise",
    )
