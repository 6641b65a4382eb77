"""Putting mail in the queue (`mail_messages`, sent by app/mail): called in the transaction
that decides it (the notification handler, the digest pass), so a message is queued
exactly when its reason is written."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import utcnow
from app.models import MailMessage, User
from app.models.enums import SubmissionMail

DIGEST_EVENT = "digest.submissions"


def wants_mail(user: User, event: str) -> bool:
    """Whether `user` hears of `event` by a mail of its own (a digest curator does not
    for submissions: they come in the daily digest)."""
    return not (
        event == "product.submitted" and user.submission_mail == SubmissionMail.daily_digest
    )


async def already_queued(session: AsyncSession, event_id: uuid.UUID) -> set[uuid.UUID]:
    """The users a mail of this event is queued for already."""
    found = await session.scalars(
        select(MailMessage.user_id).where(MailMessage.event_id == event_id)
    )
    return set(found.all())


def queue_mail(
    session: AsyncSession,
    settings: Settings,
    *,
    event_id: uuid.UUID,
    event: str,
    user: User,
    language: str,
    subject: str,
    body: str,
) -> None:
    now = utcnow()
    session.add(
        MailMessage(
            user_id=user.id,
            event_id=event_id,
            event=event,
            to_address=user.email,
            language=language,
            subject=subject[:300],
            body=body,
            created_at=now,
            next_attempt_at=now,
            give_up_at=now + timedelta(hours=settings.mail_give_up_hours),
        )
    )
