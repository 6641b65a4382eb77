"""Keeps each approved revision's `certified_until` in step with its verified documents."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.config import Settings
from app.models import Msme, Product
from app.standards import rules


async def refresh_certified_until(
    session: AsyncSession,
    settings: Settings,
    *,
    msme_id: uuid.UUID,
    product_id: uuid.UUID | None = None,
) -> None:
    """Recompute for the approved revisions a document change may affect."""
    stmt = (
        select(Product)
        .where(Product.approved_revision_id.isnot(None))
        .options(
            selectinload(Product.documents),
            selectinload(Product.approved_revision),
            selectinload(Product.msme).selectinload(Msme.documents),
        )
    )
    stmt = (
        stmt.where(Product.id == product_id)
        if product_id
        else stmt.where(Product.msme_id == msme_id)
    )
    for product in (await session.scalars(stmt)).all():
        revision = product.approved_revision
        if revision is None:
            continue
        # The flags as approved, not as drafted since.
        revision.certified_until = rules.certified_until(
            revision.content,
            [*product.documents, *product.msme.documents],
            settings.lab_test_max_age_days,
        )
    await session.flush()
