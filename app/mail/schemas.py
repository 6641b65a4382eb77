from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import OutputModel
from app.models import MailMessage
from app.models.enums import MailStatus


class MailMessageOut(OutputModel):
    id: uuid.UUID
    event: str = Field(description="The event told of, or digest.submissions")
    to: str = Field(description="The recipient's address")
    subject: str
    status: MailStatus = Field(description="pending until the server accepts it, then sent")
    attempts: int = Field(description="Tries so far")
    last_error: str | None = Field(description="The last try's error or the server's answer")
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, row: MailMessage) -> MailMessageOut:
        return cls(
            id=row.id,
            event=row.event,
            to=row.to_address,
            subject=row.subject,
            status=MailStatus(row.status),
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
            sent_at=row.sent_at,
        )
