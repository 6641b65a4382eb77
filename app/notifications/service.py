"""Reading and marking a user's own notifications."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.pagination import PageParams, SortKey, paginate
from app.models import Notification, User


async def list_notifications(
    session: AsyncSession, user: User, page: PageParams, *, secret: str
) -> tuple[list[Notification], str | None]:
    """The user's notifications, newest first."""
    keys = [SortKey(Notification.created_at, True), SortKey(Notification.id, True)]
    stmt = select(Notification).where(Notification.user_id == user.id)
    return await paginate(
        session, stmt, keys, page, secret=secret, scope=f"notifications:{user.id}"
    )


async def mark_read(session: AsyncSession, user: User, notification_id: uuid.UUID) -> Notification:
    """Mark the user's notification read (once: `read_at` stays the first); else 404."""
    notification = await session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("No such notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
        await session.flush()
    return notification
