"""Products: creation and edits under the rules of the curation workflow."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.models import Msme, Product, User
from app.models.enums import ProductStatus
from app.msmes.access import readable_msmes
from app.products import workflow
from app.products.access import FULL, etag, readable_products
from app.products.schemas import ProductCreate, ProductUpdate
from app.standards import rules

# Edits are refused while a curator looks at the product, and once it has ended.
LOCKED = {
    ProductStatus.submitted: "The product is submitted for curation; withdraw it to edit",
    ProductStatus.in_review: "The product is in review and cannot be edited",
    ProductStatus.rejected: "A rejected product cannot be edited",
    ProductStatus.archived: "An archived product cannot be edited",
}


def check_editable(product: Product) -> None:
    if product.status in LOCKED:
        raise Conflict(LOCKED[ProductStatus(product.status)])


async def record_change(session: AsyncSession, product: Product, user: User) -> None:
    """A change of the product's content beside its columns (its images): a new version,
    and for an approved product the start of its next revision, as with an edit."""
    check_editable(product)
    if product.status == ProductStatus.approved:
        await workflow.record_edit(session, product, user)
    else:
        product.updated_at = utcnow()
        await session.flush()


def _invalid(field: str, msg: str) -> Unprocessable:
    return Unprocessable(msg, errors=[{"loc": ["body", field], "msg": msg}])


def category_problem(category: str, hs_code: str) -> tuple[str, str] | None:
    """The field and the message when a category and an HS code do not go together."""
    cat = rules.category(category)
    if cat is None:
        return "category", f"unknown category {category!r}; see GET /api/v1/standards"
    if not rules.hs_code_matches(cat, hs_code):
        chapters = ", ".join(cat.hs_prefixes)
        return "hs_code", f"HS code {hs_code} is outside the category's chapters ({chapters})"
    return None


def check_category(category: str, hs_code: str) -> None:
    problem = category_problem(category, hs_code)
    if problem is not None:
        raise _invalid(*problem)


async def _check_sku_free(session: AsyncSession, product: Product) -> None:
    if product.sku is None:
        return
    stmt = select(Product.id).where(Product.msme_id == product.msme_id, Product.sku == product.sku)
    if product.id is not None:
        stmt = stmt.where(Product.id != product.id)
    if await session.scalar(stmt) is not None:
        raise Conflict(f"The MSME has a product with SKU {product.sku} already")


async def create_product(session: AsyncSession, owner: User, data: ProductCreate) -> Product:
    """A new draft product of one of the owner's MSMEs, loaded as `get_readable_product`
    loads it."""
    msme = await session.scalar(readable_msmes(owner).where(Msme.id == data.msme_id))
    if msme is None:
        raise NotFound("No such MSME")
    check_category(data.category, data.hs_code)
    product = Product(status=ProductStatus.draft.value, **data.columns())
    await _check_sku_free(session, product)
    session.add(product)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("The MSME has a product with this SKU already") from exc
    _loaded_as_new(product)
    return product


def _loaded_as_new(product: Product) -> None:
    """Load what a new product's answer shows without reading it back: the columns it was
    not given are null (none has a default in the database), and it has no images,
    documents or approved revision yet."""
    state = inspect(product)
    for column in state.mapper.column_attrs:
        if column.key in state.unloaded:
            set_committed_value(product, column.key, None)
    set_committed_value(product, "media", [])
    set_committed_value(product, "documents", [])
    set_committed_value(product, "approved_revision", None)


def check_if_match(product: Product, if_match: str | None) -> None:
    if if_match is None:
        return
    tags = [t.strip() for t in if_match.split(",")]
    if "*" not in tags and etag(product) not in tags:
        raise PreconditionFailed("The product was changed since you read it (stale If-Match)")


async def update_product(
    session: AsyncSession, user: User, product: Product, data: ProductUpdate
) -> Product:
    check_editable(product)
    changes: dict[str, Any] = data.columns()  # what a column requires is never null here
    if {"category", "hs_code"} & changes.keys():
        check_category(
            changes.get("category", product.category), changes.get("hs_code", product.hs_code)
        )
    changes = {k: v for k, v in changes.items() if getattr(product, k) != v}
    if not changes:
        return product
    for key, value in changes.items():
        setattr(product, key, value)
    await _check_sku_free(session, product)
    if product.status == ProductStatus.approved:
        # The approved revision stays in the catalog; these edits become the next one.
        await workflow.record_edit(session, product, user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("The MSME has a product with this SKU already") from exc
    return product


async def list_products(
    session: AsyncSession,
    user: User,
    page: PageParams,
    *,
    secret: str,
    msme_id: uuid.UUID | None = None,
    status: ProductStatus | None = None,
    category: str | None = None,
) -> tuple[list[Product], str | None]:
    """The products `user` may read, oldest first, narrowed by the given filters."""
    stmt = readable_products(user).options(*FULL)
    if msme_id is not None:
        stmt = stmt.where(Product.msme_id == msme_id)
    if status is not None:
        stmt = stmt.where(Product.status == status.value)
    if category is not None:
        stmt = stmt.where(Product.category == category)
    return await paginate(
        session,
        stmt,
        [SortKey(Product.created_at), SortKey(Product.id)],
        page,
        secret=secret,
        scope=f"products:{msme_id}:{status}:{category}",
    )
