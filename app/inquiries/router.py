from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Header, Query, Response
from sqlalchemy import select

from app.catalog import service as catalog
from app.catalog.language import negotiate
from app.catalog.router import MediaLinksDep
from app.core.deps import BuyerUser, CurrentUser, SessionDep, SettingsDep
from app.core.errors import Forbidden, NotFound, responses
from app.core.idempotency import IdempotencyDep
from app.core.pagination import Page, PageParams, SortKey, page_params, paginate
from app.core.routing import router as make_router
from app.inquiries import service
from app.inquiries.schemas import (
    InquiryCreate,
    InquiryOut,
    InquiryUpdate,
    MessageCreate,
    MessageOut,
    ShortlistItemOut,
)
from app.models import Inquiry, ShortlistItem, User
from app.models.enums import InquiryStatus, Role

router = make_router(tags=["inquiries"])


def _inquiry_party(user: CurrentUser) -> User:
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
    responses=responses(401, 403, 404, 409, 422),
)
async def create_inquiry(
    product_id: uuid.UUID,
    body: InquiryCreate,
    buyer: BuyerUser,
    session: SessionDep,
    idem: IdempotencyDep,
) -> InquiryOut | Response:
    if (replay := await idem.replay(session, buyer.id)) is not None:
        return replay
    if not await catalog.visible_product_ids(session, [product_id]):
        raise NotFound("No such product in the catalog")
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
    stmt = service.readable_inquiries(user)
    if status is not None:
        stmt = stmt.where(Inquiry.status == status.value)
    if product_id is not None:
        stmt = stmt.where(Inquiry.product_id == product_id)
    rows, cursor = await paginate(
        session,
        stmt,
        [SortKey(Inquiry.created_at, descending=True), SortKey(Inquiry.id, descending=True)],
        page,
        secret=settings.secret_key,
        scope=f"inquiries:{status}:{product_id}",
    )
    await service.load_threads(session, rows)
    return Page(items=[InquiryOut.model_validate(i) for i in rows], next_cursor=cursor)


@router.get(
    "/inquiries/{inquiry_id}", response_model=InquiryOut, responses=responses(401, 403, 404)
)
async def get_inquiry(inquiry_id: uuid.UUID, user: PartyUser, session: SessionDep) -> InquiryOut:
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
    inquiry = await service.get_readable(session, user, inquiry_id)
    return await _out(session, await service.set_status(session, inquiry, body))


@router.post(
    "/inquiries/{inquiry_id}/messages",
    status_code=201,
    response_model=MessageOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def add_message(
    inquiry_id: uuid.UUID, body: MessageCreate, user: PartyUser, session: SessionDep
) -> MessageOut:
    inquiry = await service.get_readable(session, user, inquiry_id)
    message = await service.add_message(session, user, inquiry, body)
    return MessageOut(
        id=message.id,
        author_id=message.author_id,
        author_role=user.role,
        body=message.body,
        created_at=message.created_at,
    )


# -- the buyer's shortlist -----------------------------------------------------------


@router.get("/shortlist", response_model=Page[ShortlistItemOut], responses=responses(401, 403, 422))
async def get_shortlist(
    buyer: BuyerUser,
    session: SessionDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    page: Annotated[PageParams, Depends(page_params)],
    lang: Annotated[str | None, Query(pattern="^(ja|en|id)$")] = None,
    accept_language: Annotated[str | None, Header(alias="Accept-Language")] = None,
) -> Page[ShortlistItemOut]:
    rows, cursor = await paginate(
        session,
        select(ShortlistItem).where(ShortlistItem.buyer_id == buyer.id),
        [
            SortKey(ShortlistItem.created_at, descending=True),
            SortKey(ShortlistItem.product_id, descending=True),
        ],
        page,
        secret=settings.secret_key,
        scope="shortlist",
    )
    items = await catalog.items_by_id(
        session,
        [r.product_id for r in rows],
        lang=negotiate(lang, accept_language),
        links=links,
    )
    return Page(
        items=[
            ShortlistItemOut(
                product_id=r.product_id,
                added_at=r.created_at,
                available=r.product_id in items,
                product=items.get(r.product_id),
            )
            for r in rows
        ],
        next_cursor=cursor,
    )


@router.put(
    "/shortlist/{product_id}",
    response_model=ShortlistItemOut,
    responses=responses(401, 403, 404),
    description="Add a catalog product to the shortlist; adding it again changes nothing.",
)
async def add_to_shortlist(
    product_id: uuid.UUID, buyer: BuyerUser, session: SessionDep, links: MediaLinksDep
) -> ShortlistItemOut:
    items = await catalog.items_by_id(session, [product_id], lang="ja", links=links)
    if product_id not in items:
        raise NotFound("No such product in the catalog")
    entry = await session.get(ShortlistItem, (buyer.id, product_id))
    if entry is None:
        entry = ShortlistItem(buyer_id=buyer.id, product_id=product_id)
        session.add(entry)
        await session.flush()
    return ShortlistItemOut(
        product_id=product_id, added_at=entry.created_at, available=True, product=items[product_id]
    )


@router.delete("/shortlist/{product_id}", status_code=204, responses=responses(401, 403, 404))
async def remove_from_shortlist(
    product_id: uuid.UUID, buyer: BuyerUser, session: SessionDep
) -> Response:
    entry = await session.get(ShortlistItem, (buyer.id, product_id))
    if entry is None:
        raise NotFound("The product is not on your shortlist")
    await session.delete(entry)
    await session.flush()
    return Response(status_code=204)
