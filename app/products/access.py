"""What products a caller may read: owners those of their MSMEs, curators and admins all."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.access.msmes import msme_visible
from app.core.errors import NotFound
from app.models import Msme, Product, Revision, User

FULL = (
    selectinload(Product.media),
    selectinload(Product.documents),
    # Its number is all a product's answer shows of it (not its content or terms).
    selectinload(Product.approved_revision).load_only(Revision.number),
)


def readable_products(user: User) -> Select[Product]:
    return select(Product).where(msme_visible(user, Product.msme_id))


async def get_readable_product(
    session: AsyncSession,
    user: User,
    product_id: uuid.UUID,
    *,
    full: bool = True,
    with_msme: bool = False,
    for_update: bool = False,
) -> Product:
    stmt = readable_products(user).where(Product.id == product_id)
    options: list[Any] = list(FULL) if full else []
    if with_msme:
        options.append(selectinload(Product.msme).selectinload(Msme.documents))
    if options:
        stmt = stmt.options(*options)
    if for_update:
        stmt = stmt.with_for_update(of=Product)
    product = await session.scalar(stmt)
    if product is None:
        raise NotFound("No such product")
    return product


def etag(product: Product) -> str:
    return f'"{product.version}"'
