from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.catalog import publication
from app.core.deps import SessionDep, SettingsDep, StaffUser, StorageDep, WorkspaceUser
from app.core.errors import responses
from app.core.pagination import Page, PageParams, SortKey, page_params, paginate
from app.core.routing import router as make_router
from app.curation import service
from app.curation.schemas import (
    MsmeBrief,
    QueueItem,
    ReadinessOut,
    ReviewOut,
    TransitionIn,
    TransitionOut,
)
from app.models import Msme, Product, Review, Transition
from app.models.enums import ProductStatus
from app.products.access import FULL, etag, get_readable_product, readable_products
from app.products.router import IfMatch
from app.products.schemas import ProductOut
from app.products.service import check_if_match

router = make_router(tags=["curation"])


@router.post(
    "/products/{product_id}/transitions",
    response_model=ProductOut,
    responses=responses(401, 403, 404, 409, 412, 422),
    description="Move the product through the curation workflow (SPEC §3). A lost race "
    "between two conflicting transitions answers 409.",
)
async def transition(
    product_id: uuid.UUID,
    body: TransitionIn,
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    storage: StorageDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProductOut:
    product = await get_readable_product(session, user, product_id, with_msme=True)
    check_if_match(product, if_match)
    await service.transition(session, product, user, body, settings)
    if body.action in ("approve", "archive"):
        await publication.sync(session, storage, [product.id])
    response.headers["ETag"] = etag(product)
    return ProductOut.model_validate(product)


@router.get(
    "/products/{product_id}/transitions",
    response_model=Page[TransitionOut],
    responses=responses(401, 403, 404, 422),
    description="The product's audit trail, oldest first.",
)
async def list_transitions(
    product_id: uuid.UUID,
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[TransitionOut]:
    await get_readable_product(session, user, product_id, full=False)
    rows, cursor = await paginate(
        session,
        select(Transition).where(Transition.product_id == product_id),
        [SortKey(Transition.at), SortKey(Transition.id)],
        page,
        secret=settings.secret_key,
        scope=f"transitions:{product_id}",
    )
    return Page(items=[TransitionOut.model_validate(t) for t in rows], next_cursor=cursor)


@router.get(
    "/products/{product_id}/reviews",
    response_model=Page[ReviewOut],
    responses=responses(401, 403, 404, 422),
    description="Curators' reviews of the product with their checklist results, oldest first.",
)
async def list_reviews(
    product_id: uuid.UUID,
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ReviewOut]:
    await get_readable_product(session, user, product_id, full=False)
    rows, cursor = await paginate(
        session,
        select(Review).where(Review.product_id == product_id),
        [SortKey(Review.started_at), SortKey(Review.id)],
        page,
        secret=settings.secret_key,
        scope=f"reviews:{product_id}",
    )
    items = [
        ReviewOut.model_validate({**r.__dict__, "grade": service.grade(r.score)}) for r in rows
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/curation/queue",
    response_model=Page[QueueItem],
    responses=responses(401, 403, 422),
    description="Submitted products, oldest submission first, with their readiness.",
)
async def queue(
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[QueueItem]:
    stmt = (
        readable_products(user)
        .where(Product.status == ProductStatus.submitted.value)
        .options(*FULL, selectinload(Product.msme).selectinload(Msme.documents))
    )
    rows, cursor = await paginate(
        session,
        stmt,
        [SortKey(Product.submitted_at), SortKey(Product.id)],
        page,
        secret=settings.secret_key,
        scope="queue",
    )
    items = [
        QueueItem.model_validate(
            {
                **ProductOut.model_validate(product).model_dump(),
                "msme": MsmeBrief.model_validate(product.msme),
                "readiness": ReadinessOut.of(service.readiness(product, settings)),
            }
        )
        for product in rows
    ]
    return Page(items=items, next_cursor=cursor)
