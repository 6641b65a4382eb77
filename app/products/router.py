from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from app.access.dependencies import OwnerUser, WorkspaceUser
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep, StorageDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.core.uploads import UPLOAD_ERRORS
from app.documents import service as documents
from app.documents.schemas import DocumentUploadOut, ProductDocumentCreate
from app.idempotency import IdempotencyDep
from app.models.enums import ProductStatus
from app.msmes.access import get_readable_msme
from app.products import service
from app.products.access import etag, get_readable_product
from app.products.dependencies import IfMatch
from app.products.schemas import ProductCreate, ProductOut, ProductUpdate

router = make_router(prefix="/products", tags=["products"])


@router.post(
    "",
    status_code=201,
    response_model=ProductOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def create_product(
    body: ProductCreate,
    owner: OwnerUser,
    session: SessionDep,
    idem: IdempotencyDep,
    response: Response,
) -> ProductOut | Response:
    """Create a product (as a draft)

    Honours `Idempotency-Key`: a retry with the same key and body returns the first
    product.
    """
    if (replay := await idem.replay(session, owner.id)) is not None:
        return replay
    product = await service.create_product(session, owner, body)
    out = ProductOut.model_validate(product)
    response.headers["ETag"] = etag(product)
    await idem.remember(session, owner.id, 201, out, headers={"ETag": response.headers["ETag"]})
    return out


@router.get("", response_model=Page[ProductOut], responses=responses(401, 403, 422))
async def list_products(
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
    msme_id: Annotated[uuid.UUID | None, Query()] = None,
    status: Annotated[ProductStatus | None, Query()] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[ProductOut]:
    """List products

    An owner sees their own; curators and admins all. Filters `msme_id`, `status`,
    `category`.
    """
    rows, cursor = await service.list_products(
        session,
        user,
        page,
        secret=settings.secret_key,
        msme_id=msme_id,
        status=status,
        category=category,
    )
    return Page(items=[ProductOut.model_validate(p) for p in rows], next_cursor=cursor)


@router.get("/{product_id}", response_model=ProductOut, responses=responses(401, 403, 404))
async def get_product(
    product_id: uuid.UUID, user: WorkspaceUser, session: SessionDep, response: Response
) -> ProductOut:
    """One product

    Returns an `ETag` for `If-Match` on PATCH and transitions.
    """
    product = await get_readable_product(session, user, product_id)
    response.headers["ETag"] = etag(product)
    return ProductOut.model_validate(product)


@router.patch(
    "/{product_id}",
    response_model=ProductOut,
    responses=responses(401, 403, 404, 409, 412, 422),
)
async def update_product(
    product_id: uuid.UUID,
    body: ProductUpdate,
    owner: OwnerUser,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProductOut:
    """Change a product

    Edits of an approved product move it to draft for its next revision; the catalog
    keeps showing the approved one. Submitted and in-review products cannot be edited
    (409). Honours `If-Match` (412 when stale).
    """
    product = await get_readable_product(session, owner, product_id)
    service.check_if_match(product, if_match)
    product = await service.update_product(session, owner, product, body)
    response.headers["ETag"] = etag(product)
    return ProductOut.model_validate(product)


@router.post(
    "/{product_id}/documents",
    status_code=201,
    response_model=DocumentUploadOut,
    responses=UPLOAD_ERRORS,
    tags=["documents"],
    description="Declare a product-level document and get the `upload` to send its file with. "
    "Upload starts per owner are limited (429); an `Idempotency-Key` replay does not count.",
)
async def start_product_document(
    product_id: uuid.UUID,
    body: ProductDocumentCreate,
    owner: OwnerUser,
    session: SessionDep,
    storage: StorageDep,
    idem: IdempotencyDep,
    base_url: BaseUrlDep,
    limits: LimitsDep,
) -> BaseModel | Response:
    """Start the upload of a product document (certificate, lab report, ...)"""
    product = await get_readable_product(session, owner, product_id, full=False)
    msme = await get_readable_msme(session, owner, product.msme_id)
    return await idem.run(
        session,
        owner.id,
        limits.counting(
            "upload-owner",
            str(owner.id),
            lambda: documents.declare(
                session, storage, msme=msme, product=product, data=body, base_url=base_url
            ),
        ),
    )
