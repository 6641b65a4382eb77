from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base

NAME_WEIGHT = 2
DESCRIPTION_WEIGHT = 1
WEIGHTS = (NAME_WEIGHT, DESCRIPTION_WEIGHT)


class SearchTerm(Base):
    """One term of a product's approved revision (see app/catalog/tokens.py).

    Rebuilt whenever a revision is approved. `weight` says where the term stands: in
    the name (2) or only in the description (1), so name matches rank first.
    `approved_at` is copied so that a one-term search walks one index in result order;
    every term of a product carries the same one, so several terms' postings can be
    merged in that order (app/catalog/search.py).
    """

    __tablename__ = "search_terms"
    # The key (product_id, term) serves re-indexing a product; the second index serves
    # search, in relevance order.
    __table_args__ = (
        Index("ix_search_terms_ranked", "term", "weight", "approved_at", "product_id"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[int] = mapped_column(SmallInteger)
    approved_at: Mapped[datetime]
