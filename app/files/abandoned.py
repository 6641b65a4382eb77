"""Uploads that a newer one makes abandoned: declared, never completed, superseded.

A re-declared document or image must not linger as `pending_upload` in the product's
lists, so starting an upload removes the pending rows it supersedes at once; their files
(if any bytes arrived) go after the commit through the file-removal handler
(app/files/cleanup.py). Only rows still pending are removed, so an upload completed
meanwhile is kept. `kurasi storage gc` remains for uploads nothing superseded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.events.outbox import EventType, record
from app.models import Document, Media
from app.models.enums import UploadStatus

PENDING = UploadStatus.pending_upload.value
# The event a removed row records, as its ordinary deletion does, and the id's name there.
_DELETED = {
    Document: (EventType.document_deleted, "document_id"),
    Media: (EventType.media_deleted, "media_id"),
}


def expired(model: type[Document] | type[Media], upload_seconds: int) -> ColumnElement[bool]:
    """Declared longer ago than an upload's signed fields last: nothing can arrive now."""
    return model.created_at < utcnow() - timedelta(seconds=upload_seconds)


async def drop(
    session: AsyncSession,
    model: type[Document] | type[Media],
    *where: ColumnElement[bool],
    **about: Any,
) -> None:
    """Remove the pending rows of `model` matching every condition of `where`; `about`
    goes into each one's event (what it belonged to)."""
    event, id_name = _DELETED[model]
    gone = await session.execute(
        delete(model).where(model.status == PENDING, *where).returning(model.id, model.storage_key)
    )
    for row_id, key in gone.all():
        record(session, event, **{id_name: row_id}, storage_keys=[key], reason="replaced", **about)
