from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import OutputModel, named_enum
from app.notifications.texts import EVENTS


class NotificationOut(OutputModel):
    id: uuid.UUID
    event: str = Field(
        description="The event told of, e.g. product.changes_requested",
        json_schema_extra=named_enum("NotificationEvent", sorted(EVENTS)),
    )
    product_id: uuid.UUID | None
    inquiry_id: uuid.UUID | None
    title: str = Field(description="In the reader's preferred language; names the product")
    body: str = Field(description="With the curator's comment or the message, and a link")
    created_at: datetime
    read_at: datetime | None = Field(description="None while unread")
