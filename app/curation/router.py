from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response

from app.access.dependencies import StaffUser, WorkspaceUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.curation import service
from app.curation.schemas import (
    QueueItem,
    ReadinessOut,
    ReviewOut,
    TransitionIn,
    TransitionOut,
)
from app.msmes.schemas import MsmeBrief
from app.products.access import etag, get_readable_product
from app.products.dependencies import IfMatch
from app.products.schemas import ProductOut
from app.products.service import check_if_match

router = make_router(tags=["curation"])


@router.post(
    "/products/{product_id}/transitions",
    response_model=ProductOut,
    responses=responses(401, 403, 404, 409, 412, 422, 429),
)
async def transition_product(
    product_id: uuid.UUID,
    body: TransitionIn,
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    limits: LimitsDep,
    if_match: IfMatch = None,
) -> ProductOut:
    """Move a product through the curation workflow

    `action` names a transition of the workflow (SPEC §3: submit, start review, approve,
    request changes, reject, ...); a decision takes the review's checklist, score and
    comment. Honours `If-Match`; every transition is recorded in the audit trail. A lost
    race between two conflicting transitions answers 409. Submissions per owner are
    limited (429).
    """
    product = await get_readable_product(
        session,
        user,
        product_id,
        with_msme=True,
        msme_documents=body.action in service.READS_MSME_DOCUMENTS,
    )
    check_if_match(product, if_match)
    if body.action == "submit":
        await limits.hit("submit-owner", str(user.id))
    await service.transition(session, product, user, body, settings)
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
    """The product's audit trail, oldest first"""
    await get_readable_product(session, user, product_id, full=False)
    rows, cursor = await service.audit_trail(session, product_id, page, secret=settings.secret_key)
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
    """The product's reviews with their checklist results"""
    await get_readable_product(session, user, product_id, full=False)
    rows, cursor = await service.reviews(session, product_id, page, secret=settings.secret_key)
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
async def list_curation_queue(
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[QueueItem]:
    """The curation queue: submitted products, oldest first, with readiness"""
    rows, cursor = await service.queue(session, user, page, secret=settings.secret_key)
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


@router.get(
    "/products/{product_id}/readiness",
    response_model=ReadinessOut,
    responses=responses(401, 403, 404),
)
async def get_product_readiness(
    product_id: uuid.UUID, user: WorkspaceUser, session: SessionDep, settings: SettingsDep
) -> ReadinessOut:
    """What the product still needs for export to Japan

    Every requirement of the standards table that applies to the product (documents,
    fields, labelling), met or not, and a readiness score 0-100.
    """
    product = await get_readable_product(session, user, product_id, with_msme=True)
    return ReadinessOut.of(service.readiness(product, settings))
