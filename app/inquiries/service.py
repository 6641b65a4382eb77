"""Inquiries: a buyer asks about a listed product; buyer and owner answer in a thread."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import Conflict, NotFound
from app.inquiries.schemas import InquiryCreate, InquiryUpdate, MessageCreate
from app.models import Inquiry, InquiryMessage, Product, User
from app.models.enums import InquiryStatus, Role
from app.msmes.access import owned_msme_ids


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
                "body": message.body,
                "created_at": message.created_at,
            }
        )
    for inquiry in inquiries:
        inquiry.__dict__["thread"] = threads[inquiry.id]


async def create(
    session: AsyncSession, buyer: User, product_id: uuid.UUID, data: InquiryCreate
) -> Inquiry:
    product = await session.get(Product, product_id)
    if product is None:
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
    return inquiry


async def add_message(
    session: AsyncSession, user: User, inquiry: Inquiry, data: MessageCreate
) -> InquiryMessage:
    if inquiry.status == InquiryStatus.closed:
        raise Conflict("The inquiry is closed")
    message = InquiryMessage(inquiry_id=inquiry.id, author_id=user.id, body=data.body)
    session.add(message)
    # The owner's reply answers the inquiry; the buyer's follow-up opens it again.
    if user.role == Role.msme_owner:
        inquiry.status = InquiryStatus.answered.value
    elif user.role == Role.buyer:
        inquiry.status = InquiryStatus.open.value
    inquiry.updated_at = utcnow()
    await session.flush()
    return message


async def set_status(session: AsyncSession, inquiry: Inquiry, data: InquiryUpdate) -> Inquiry:
    inquiry.status = data.status.value
    await session.flush()
    return inquiry
