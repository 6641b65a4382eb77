from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, utcnow


class FxRate(UUIDPrimaryKey, Base):
    """How many yen one unit of `currency` buys, as of a date. History is kept."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("currency", "as_of"),)

    currency: Mapped[str] = mapped_column(String(3))
    rate_to_jpy: Mapped[Decimal] = mapped_column(Numeric(20, 8))
    as_of: Mapped[date]
    set_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
