"""Email owed to people (SPEC §9): one row per event and recipient, sent by `kurasi worker`.

Unique per event and user, so a handler run again for a retried event queues nothing
more; a curator's daily digest has an event id derived from the user and the day, so a
second pass the same day queues nothing either. The row holds the rendered message, so
what is sent is what was decided when the event was handled.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, utcnow


class MailMessage(UUIDPrimaryKey, Base):
    __tablename__ = "mail_messages"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_mail_messages_due", "status", "next_attempt_at"),
        Index("ix_mail_messages_created_at", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID]
    event: Mapped[str] = mapped_column(String(60))
    to_address: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    # Temporary failures are retried until then; an admin's retry moves it on.
    give_up_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
