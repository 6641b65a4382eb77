from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Response

from app.access.dependencies import BuyerUser, CurrentUser
from app.catalog.dependencies import LanguageDep, MediaLinksDep
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Forbidden, responses
from app.core.pagination import Page, PageParams, page_params
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.idempotency import IdempotencyDep
from app.inquiries import service
from app.inquiries.schemas import (
    InquiryCreate,
    InquiryOut,
    InquiryUpdate,
    MessageCreate,
    MessageOut,
    ShortlistItemOut,
)
from app.models import Inquiry, User
from app.models.enums import InquiryStatus, Role

router = make_router(tags=["inquiries"])


async def _inquiry_party(user: CurrentUser) -> User:
    if user.role == Role.curator:
        raise Forbidden("Inquiries are between buyers, MSME owners and admins")
    return user


PartyUser = Annotated[User, Depends(_inquiry_party)]


async def _out(session: SessionDep, inquiry: Inquiry) -> InquiryOut:
    await service.load_threads(session, [inquiry])
    return InquiryOut.model_validate(inquiry)


@router.post(
    "/catalog/products/{product_id}/inquiries",
    status_code=201,
    response_model=InquiryOut,
    responses=responses(401, 403, 404, 409, 422, 429),
)
async def create_inquiry(
    product_id: uuid.UUID,
    body: InquiryCreate,
    buyer: BuyerUser,
    session: SessionDep,
    idem: IdempotencyDep,
    limits: LimitsDep,
) -> InquiryOut | Response:
    """Send an inquiry about a published product (buyer)

    Ask the owner of a catalog product. Inquiries per buyer per day are limited (429).
    Honours `Idempotency-Key`: a retry with the same key and body returns the first
    inquiry and does not count again.
    """
    if (replay := await idem.replay(session, buyer.id)) is not None:
        return replay
    await limits.hit("inquiry-buyer", str(buyer.id))
    inquiry = await service.create(session, buyer, product_id, body)
    out = await _out(session, inquiry)
    await idem.remember(session, buyer.id, 201, out)
    return out


@router.get("/inquiries", response_model=Page[InquiryOut], responses=responses(401, 403, 422))
async def list_inquiries(
    user: PartyUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[InquiryStatus | None, Query()] = None,
    product_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[InquiryOut]:
    """Inquiry threads the caller takes part in

    A buyer sees their own, an owner those about their products, an admin all.
    """
    rows, cursor = await service.list_readable(
        session, user, page, secret=settings.secret_key, status=status, product_id=product_id
    )
    return Page(items=[InquiryOut.model_validate(i) for i in rows], next_cursor=cursor)


@router.get(
    "/inquiries/{inquiry_id}", response_model=InquiryOut, responses=responses(401, 403, 404)
)
async def get_inquiry(inquiry_id: uuid.UUID, user: PartyUser, session: SessionDep) -> InquiryOut:
    """One inquiry with its messages"""
    return await _out(session, await service.get_readable(session, user, inquiry_id))


@router.patch(
    "/inquiries/{inquiry_id}",
    response_model=InquiryOut,
    responses=responses(401, 403, 404, 422),
    description="Close an inquiry (or open it again).",
)
async def update_inquiry(
    inquiry_id: uuid.UUID, body: InquiryUpdate, user: PartyUser, session: SessionDep
) -> InquiryOut:
    """Close or reopen an inquiry"""
    inquiry = await service.get_readable(session, user, inquiry_id)
    return await _out(session, await service.set_status(session, inquiry, body))


@router.post(
    "/inquiries/{inquiry_id}/messages",
    status_code=201,
    response_model=MessageOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def add_inquiry_message(
    inquiry_id: uuid.UUID, body: MessageCreate, user: PartyUser, session: SessionDep
) -> MessageOut:
    """Reply in an inquiry's thread"""
    inquiry = await service.get_readable(session, user, inquiry_id)
    message = await service.add_message(session, user, inquiry, body)
    return MessageOut(
        id=message.id,
        author_id=message.author_id,
        author_role=user.role,
        message=message.body,
        created_at=message.created_at,
    )


# -- the buyer's shortlist -----------------------------------------------------------


@router.get("/shortlist", response_model=Page[ShortlistItemOut], responses=responses(401, 403, 422))
async def get_shortlist(
    buyer: BuyerUser,
    session: SessionDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    lang: LanguageDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ShortlistItemOut]:
    """The buyer's shortlist of catalog products"""
    items, cursor = await service.shortlist(
        session, buyer, page, secret=settings.secret_key, lang=lang, links=links
    )
    return Page(items=items, next_cursor=cursor)


@router.put(
    "/shortlist/{product_id}",
    response_model=ShortlistItemOut,
    responses=responses(401, 403, 404),
    description="Add a catalog product to the shortlist; adding it again changes nothing.",
)
async def add_to_shortlist(
    product_id: uuid.UUID,
    buyer: BuyerUser,
    session: SessionDep,
    links: MediaLinksDep,
    lang: LanguageDep,
) -> ShortlistItemOut:
    """Add a published product to the buyer's shortlist"""
    return await service.add_to_shortlist(session, buyer, product_id, lang=lang, links=links)


@router.delete("/shortlist/{product_id}", status_code=204, responses=responses(401, 403, 404))
async def remove_from_shortlist(
    product_id: uuid.UUID, buyer: BuyerUser, session: SessionDep
) -> Response:
    """Remove a product from the buyer's shortlist"""
    await service.remove_from_shortlist(session, buyer, product_id)
    return Response(status_code=204)
