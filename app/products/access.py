"""What products a caller may read: owners those of their MSMEs, curators and admins all."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.access.msmes import msme_visible, msme_visible_to
from app.core.errors import NotFound
from app.models import Msme, Product, Revision, User

# Its number is all a product's answer shows of it (not its content or terms).
_REVISION_NUMBER = selectinload(Product.approved_revision).load_only(Revision.number)
FULL = (selectinload(Product.media), selectinload(Product.documents), _REVISION_NUMBER)
# One product: its images joined in its own statement rather than selected by another.
ONE = (joinedload(Product.media), selectinload(Product.documents), _REVISION_NUMBER)


def readable_products(user: User) -> Select[Product]:
    return select(Product).where(msme_visible(user, Product.msme_id))


async def get_readable_product(
    session: AsyncSession,
    user: User,
    product_id: uuid.UUID,
    *,
    full: bool = True,
    with_msme: bool = False,
    msme_documents: bool = True,
    for_update: bool = False,
) -> Product:
    """The product, or NotFound; `with_msme` loads its MSME too (in the same statement),
    and unless `msme_documents` is False the MSME's documents."""
    stmt = _readable_product(user.role, full, with_msme, msme_documents, for_update)
    result = await session.scalars(stmt, {"product_id": product_id, "user_id": user.id})
    product = result.unique().one_or_none()  # a row for each image
    if product is None:
        raise NotFound("No such product")
    return product


@functools.cache
def _readable_product(
    role: str, full: bool, with_msme: bool, msme_documents: bool, for_update: bool
) -> Select[Product]:
    """The statement of `get_readable_product` for a user of `role`, built once."""
    stmt = select(Product).where(
        msme_visible_to(role, bindparam("user_id"), Product.msme_id),
        Product.id == bindparam("product_id"),
    )
    options: list[Any] = list(ONE) if full else []
    if with_msme:
        msme = joinedload(Product.msme, innerjoin=True)
        options.append(msme.selectinload(Msme.documents) if msme_documents else msme)
    if options:
        stmt = stmt.options(*options)
    if for_update:
        stmt = stmt.with_for_update(of=Product)
    return stmt


def etag(product: Product) -> str:
    return f'"{product.version}"'
