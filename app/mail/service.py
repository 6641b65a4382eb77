"""The admins' view of the mail queue: listing it, and sending a failed message again."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound
from app.core.pagination import PageParams, SortKey, paginate
from app.models import MailMessage
from app.models.enums import MailStatus


async def list_messages(
    session: AsyncSession, page: PageParams, *, secret: str, status: MailStatus | None
) -> tuple[list[MailMessage], str | None]:
    """Queued messages, newest first, of one status or all."""
    keys = [SortKey(MailMessage.created_at, True), SortKey(MailMessage.id, True)]
    stmt = select(MailMessage)
    if status is not None:
        stmt = stmt.where(MailMessage.status == status.value)
    scope = f"mail-messages:{status.value if status else 'all'}"
    return await paginate(session, stmt, keys, page, secret=secret, scope=scope)


async def retry(session: AsyncSession, settings: Settings, message_id: uuid.UUID) -> MailMessage:
    """Put a failed message back in the queue, due now, with a new span of tries; 409
    unless it failed."""
    now = utcnow()
    result = await session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id, MailMessage.status == MailStatus.failed.value)
        .values(
            status=MailStatus.pending.value,
            attempts=0,
            next_attempt_at=now,
            locked_until=None,
            give_up_at=now + timedelta(hours=settings.mail_give_up_hours),
        )
    )
    message = await session.get(MailMessage, message_id, populate_existing=True)
    if message is None:
        raise NotFound("No such mail message")
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict(f"Only a failed message is sent again; this one is {message.status}")
    return message
