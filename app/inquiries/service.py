"""Inquiries: a buyer asks about a listed product; buyer and owner answer in a thread."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.msmes import owned_msme_ids
from app.catalog.service import MediaLinks, items_by_id, visible_product_ids
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound
from app.core.pagination import PageParams, SortKey, paginate
from app.events.outbox import EventType, record
from app.inquiries.schemas import InquiryCreate, InquiryUpdate, MessageCreate, ShortlistItemOut
from app.models import Inquiry, InquiryMessage, Product, ShortlistItem, User
from app.models.enums import InquiryStatus, Role


def readable_inquiries(user: User) -> Select[Inquiry]:
    """Buyers see their own, owners those about their MSMEs' products, admins all."""
    condition: ColumnElement[bool]
    if user.role == Role.admin:
        condition = true()
    elif user.role == Role.buyer:
        condition = Inquiry.buyer_id == user.id
    elif user.role == Role.msme_owner:
        condition = Inquiry.msme_id.in_(owned_msme_ids(user))
    else:
        condition = false()
    return select(Inquiry).where(condition)


async def get_readable(session: AsyncSession, user: User, inquiry_id: uuid.UUID) -> Inquiry:
    inquiry = await session.scalar(readable_inquiries(user).where(Inquiry.id == inquiry_id))
    if inquiry is None:
        raise NotFound("No such inquiry")
    return inquiry


async def load_threads(session: AsyncSession, inquiries: list[Inquiry]) -> None:
    """Attach every inquiry's messages (with author roles) in one query."""
    if not inquiries:
        return
    rows = await session.execute(
        select(InquiryMessage, User.role)
        .join(User, User.id == InquiryMessage.author_id)
        .where(InquiryMessage.inquiry_id.in_([i.id for i in inquiries]))
        .order_by(InquiryMessage.created_at, InquiryMessage.id)
    )
    threads: dict[uuid.UUID, list[dict[str, object]]] = {i.id: [] for i in inquiries}
    for message, role in rows:
        threads[message.inquiry_id].append(
            {
                "id": message.id,
                "author_id": message.author_id,
                "author_role": role,
                "message": message.body,
                "created_at": message.created_at,
            }
        )
    for inquiry in inquiries:
        inquiry.__dict__["thread"] = threads[inquiry.id]


async def create(
    session: AsyncSession, buyer: User, product_id: uuid.UUID, data: InquiryCreate
) -> Inquiry:
    product = await session.get(Product, product_id)
    if product is None or not await visible_product_ids(session, [product_id]):
        raise NotFound("No such product in the catalog")
    inquiry = Inquiry(
        product_id=product.id,
        msme_id=product.msme_id,
        buyer_id=buyer.id,
        quantity=data.quantity,
        message=data.message,
        incoterm=data.incoterm.value if data.incoterm else None,
        destination_port=data.destination_port,
        target_price_amount=data.target_price.amount if data.target_price else None,
        target_price_currency=data.target_price.currency if data.target_price else None,
        status=InquiryStatus.open.value,
    )
    session.add(inquiry)
    await session.flush()
    record(
        session,
        EventType.inquiry_created,
        inquiry_id=inquiry.id,
        product_id=product.id,
        msme_id=product.msme_id,
        buyer_id=buyer.id,
    )
    return inquiry


async def add_message(
    session: AsyncSession, user: User, inquiry: Inquiry, data: MessageCreate
) -> InquiryMessage:
    if inquiry.status == InquiryStatus.closed:
        raise Conflict("The inquiry is closed")
    message = InquiryMessage(inquiry_id=inquiry.id, author_id=user.id, body=data.message)
    session.add(message)
    # The owner's reply answers the inquiry; the buyer's follow-up opens it again.
    if user.role == Role.msme_owner:
        inquiry.status = InquiryStatus.answered.value
    elif user.role == Role.buyer:
        inquiry.status = InquiryStatus.open.value
    inquiry.updated_at = utcnow()
    await session.flush()
    record(
        session,
        EventType.inquiry_message,
        inquiry_id=inquiry.id,
        message_id=message.id,
        product_id=inquiry.product_id,
        author_id=user.id,
    )
    return message


async def set_status(session: AsyncSession, inquiry: Inquiry, data: InquiryUpdate) -> Inquiry:
    inquiry.status = data.status.value
    await session.flush()
    return inquiry


async def list_readable(
    session: AsyncSession,
    user: User,
    page: PageParams,
    *,
    secret: str,
    status: InquiryStatus | None = None,
    product_id: uuid.UUID | None = None,
) -> tuple[list[Inquiry], str | None]:
    """The inquiries `user` takes part in, newest first, with their threads."""
    stmt = readable_inquiries(user)
    if status is not None:
        stmt = stmt.where(Inquiry.status == status.value)
    if product_id is not None:
        stmt = stmt.where(Inquiry.product_id == product_id)
    rows, cursor = await paginate(
        session,
        stmt,
        [SortKey(Inquiry.created_at, descending=True), SortKey(Inquiry.id, descending=True)],
        page,
        secret=secret,
        scope=f"inquiries:{status}:{product_id}",
    )
    await load_threads(session, rows)
    return rows, cursor


# -- the buyer's shortlist -----------------------------------------------------------------


async def shortlist(
    session: AsyncSession,
    buyer: User,
    page: PageParams,
    *,
    secret: str,
    lang: str,
    links: MediaLinks,
) -> tuple[list[ShortlistItemOut], str | None]:
    """The buyer's shortlist, newest first, with each product as the catalog shows it."""
    rows, cursor = await paginate(
        session,
        select(ShortlistItem).where(ShortlistItem.buyer_id == buyer.id),
        [
            SortKey(ShortlistItem.created_at, descending=True),
            SortKey(ShortlistItem.product_id, descending=True),
        ],
        page,
        secret=secret,
        scope="shortlist",
    )
    items = await items_by_id(session, [r.product_id for r in rows], lang=lang, links=links)
    out = [
        ShortlistItemOut(
            product_id=r.product_id,
            added_at=r.created_at,
            available=r.product_id in items,
            product=items.get(r.product_id),
        )
        for r in rows
    ]
    return out, cursor


async def add_to_shortlist(
    session: AsyncSession, buyer: User, product_id: uuid.UUID, *, lang: str, links: MediaLinks
) -> ShortlistItemOut:
    """Add a catalog product; adding it again changes nothing."""
    items = await items_by_id(session, [product_id], lang=lang, links=links)
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


async def remove_from_shortlist(session: AsyncSession, buyer: User, product_id: uuid.UUID) -> None:
    entry = await session.get(ShortlistItem, (buyer.id, product_id))
    if entry is None:
        raise NotFound("The product is not on your shortlist")
    await session.delete(entry)
    await session.flush()
