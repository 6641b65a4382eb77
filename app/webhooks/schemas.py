from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import InputModel, OneOf, OutputModel, example
from app.events.outbox import EventType

EVENT_TYPES = frozenset(e.value for e in EventType)
WebhookEventType = Annotated[
    str,
    OneOf(
        EVENT_TYPES,
        f"an event type (one of: {', '.join(sorted(EVENT_TYPES))})",
        "WebhookEventType",
    ),
]


class WebhookIn(InputModel):
    model_config = example(
        url="https://partner.example.com/kurasi/events",
        events=["product.approved", "listing.published"],
        description="Export agency: approved and published products",
    )

    url: str = Field(min_length=8, max_length=2000, description="https:// in production")
    events: list[WebhookEventType] = Field(min_length=1, max_length=len(EVENT_TYPES))
    description: str | None = Field(default=None, max_length=500)


class WebhookOut(OutputModel):
    id: uuid.UUID
    url: str
    events: list[str]
    description: str | None
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown only in this answer")


class WebhookAttemptOut(OutputModel):
    id: uuid.UUID
    delivery_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    attempt: int
    status_code: int | None
    error: str | None
    duration_ms: int
    at: datetime
    next_attempt_at: datetime | None = Field(description="None when delivered or given up")
