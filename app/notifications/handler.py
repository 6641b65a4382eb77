"""The worker's handler that turns an event of SPEC §9 into in-app notifications.

Recipients: the owner of the product's MSME hears of curation decisions, publication,
document decisions and expiry, and of buyers' inquiries and messages; the buyer hears of
the owner's messages; every active curator hears of submissions. Each gets one
notification per event, in their `preferred_language`, written at most once (unique on
event and user: a retried event adds nothing). The same texts go by email (app/mail),
queued in the same transaction, when mail is configured.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.outbox import EventType
from app.events.worker import WorkerContext
from app.models import Inquiry, InquiryMessage, Msme, Notification, OutboxEvent, Product, User
from app.models.enums import Role
from app.notifications.outgoing import already_queued, queue_mail, wants_mail
from app.notifications.texts import EVENTS, language_of, product_name, render
from app.standards.table import DOCUMENT_TYPES_BY_CODE

DEFAULT_BASE_URL = "http://localhost:8000"

_OWNER_HEARS = frozenset(
    {
        EventType.product_changes_requested,
        EventType.product_approved,
        EventType.product_rejected,
        EventType.listing_published,
        EventType.listing_unpublished,
        EventType.document_verified,
        EventType.document_rejected,
        EventType.document_expiring,
        EventType.inquiry_created,
    }
)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def _owner_of(session: AsyncSession, msme_id: uuid.UUID | None) -> list[User]:
    if msme_id is None:
        return []
    owner = await session.scalar(
        select(User).join(Msme, Msme.owner_id == User.id).where(Msme.id == msme_id)
    )
    return [owner] if owner is not None and owner.is_active else []


async def _recipients(
    session: AsyncSession, event: OutboxEvent, product: Product | None, inquiry: Inquiry | None
) -> list[User]:
    data = event.payload
    msme_id = _uuid(data.get("msme_id")) or (product.msme_id if product else None)
    if event.type == EventType.product_submitted:
        curators = await session.scalars(
            select(User).where(User.role == Role.curator, User.is_active.is_(True))
        )
        return list(curators.all())
    if event.type in _OWNER_HEARS:
        if inquiry is not None:
            msme_id = inquiry.msme_id
        return await _owner_of(session, msme_id)
    if event.type == EventType.inquiry_message and inquiry is not None:
        author = _uuid(data.get("author_id"))
        if author == inquiry.buyer_id:
            return await _owner_of(session, inquiry.msme_id)
        buyer = await session.get(User, inquiry.buyer_id)
        return [buyer] if buyer is not None and buyer.is_active else []
    return []


def _document_name(code: Any, language: str) -> str:
    """A document type as its reader calls it ("BPJPHハラール認証"), else its code."""
    found = DOCUMENT_TYPES_BY_CODE.get(str(code or ""))
    return found.name.get(language, str(code)) if found else str(code or "")


def _link(base: str, data: dict[str, Any], product_id: uuid.UUID | None) -> str:
    """The thing concerned: the inquiry, the document, the product, or the MSME."""
    for key, path in (
        ("inquiry_id", "inquiries"),
        ("document_id", "documents"),
        ("product_id", "products"),
        ("msme_id", "msmes"),
    ):
        found = product_id if key == "product_id" else _uuid(data.get(key))
        if found is not None:
            return f"{base}/api/v1/{path}/{found}"
    return base


@dataclass(frozen=True)
class Told:
    """What one recipient is told of one event, in their language."""

    user: User
    language: str
    title: str
    body: str


async def notify(context: WorkerContext, event: OutboxEvent) -> None:
    """Write one notification of `event` per recipient, and queue the same text as email
    when mail is configured, in one transaction (once, however often run)."""
    if event.type not in EVENTS:
        return
    async with context.sessions() as session, session.begin():
        told, product_id, inquiry_id = await _texts(context, session, event)
        done = set(
            (
                await session.scalars(
                    select(Notification.user_id).where(Notification.event_id == event.id)
                )
            ).all()
        )
        for each in told:
            if each.user.id in done:
                continue
            session.add(
                Notification(
                    user_id=each.user.id,
                    event_id=event.id,
                    event=event.type,
                    product_id=product_id,
                    inquiry_id=inquiry_id,
                    title=each.title[:300],
                    body=each.body,
                )
            )
        if context.settings.smtp_url:
            mailed = await already_queued(session, event.id)
            for each in told:
                if each.user.id in mailed or not wants_mail(each.user, event.type):
                    continue
                queue_mail(
                    session,
                    context.settings,
                    event_id=event.id,
                    event=event.type,
                    user=each.user,
                    language=each.language,
                    subject=each.title,
                    body=each.body,
                )
        try:
            await session.flush()
        except IntegrityError:
            # Another worker wrote them first: theirs stand.
            await session.rollback()


async def _texts(
    context: WorkerContext, session: AsyncSession, event: OutboxEvent
) -> tuple[list[Told], uuid.UUID | None, uuid.UUID | None]:
    """Who is told of `event` and in which words; the product and inquiry concerned."""
    data = event.payload
    base = (context.settings.public_base_url or DEFAULT_BASE_URL).rstrip("/")
    inquiry_id = _uuid(data.get("inquiry_id"))
    inquiry = await session.get(Inquiry, inquiry_id) if inquiry_id else None
    product_id = _uuid(data.get("product_id")) or (inquiry.product_id if inquiry else None)
    product = await session.get(Product, product_id) if product_id else None
    recipients = await _recipients(session, event, product, inquiry)
    message = None
    if event.type == EventType.inquiry_created and inquiry is not None:
        message = inquiry.message
    elif event.type == EventType.inquiry_message:
        message = data.get("message")
        if message is None and (message_id := _uuid(data.get("message_id"))):
            found = await session.get(InquiryMessage, message_id)
            message = found.body if found else None
    # An MSME's own document concerns no product: its brand stands for it.
    msme = None
    if product is None and (msme_id := _uuid(data.get("msme_id"))):
        msme = await session.get(Msme, msme_id)
    told = []
    for user in recipients:
        language = language_of(user.preferred_language)
        title, body = render(
            event.type,
            language,
            {
                "product": msme.brand_name
                if msme is not None
                else product_name(product.name if product else None, language),
                "comment": data.get("comment"),
                "note": data.get("note"),
                "message": message,
                "channel": data.get("channel"),
                "doc_type": _document_name(data.get("doc_type"), language),
                "expires_on": data.get("expires_on") or "",
                "link": _link(base, data, product_id),
            },
        )
        told.append(Told(user, language, title, body))
    return told, product_id, inquiry_id
