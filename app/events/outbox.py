"""Recording domain events (SPEC §9) in the transaction of the change they tell of.

Services call `record`; the event is an `OutboxEvent` row that commits or rolls back with
the change, so no event is told of a change that did not happen, and none is lost. After
the commit, the session's owner hears the signal "events" (app/core/db.py), so that a
worker in the same process starts on them at once instead of at its next poll.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import signal
from app.core.logs import request_id
from app.models import OutboxEvent

EVENTS = "events"  # the signal a commit that recorded events raises


class EventType(StrEnum):
    product_submitted = "product.submitted"
    product_changes_requested = "product.changes_requested"
    product_approved = "product.approved"
    product_rejected = "product.rejected"
    product_archived = "product.archived"
    listing_published = "listing.published"
    listing_unpublished = "listing.unpublished"
    channel_opened = "channel.opened"
    channel_closed = "channel.closed"
    document_verified = "document.verified"
    document_rejected = "document.rejected"
    document_deleted = "document.deleted"
    document_expiring = "document.expiring"
    media_deleted = "media.deleted"
    inquiry_created = "inquiry.created"
    inquiry_message = "inquiry.message"


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal | date | datetime):
        return str(value) if not isinstance(value, date | datetime) else value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def record(session: AsyncSession, type: EventType, **payload: Any) -> None:
    """Write an event in the session's transaction; ids and dates become strings."""
    event = OutboxEvent(type=type.value, payload=_json(payload), request_id=request_id.get())
    session.add(event)
    signal(session, EVENTS)
