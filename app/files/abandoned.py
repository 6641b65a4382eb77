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

from sqlalchemy import ColumnElement, delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.events.outbox import EventType, record
from app.models import Document, Media
from app.models.enums import UploadStatus

PENDING = UploadStatus.pending_upload.value


def expired(model: type[Document] | type[Media], upload_seconds: int) -> ColumnElement[bool]:
    """Declared longer ago than an upload's signed fields last: nothing can arrive now."""
    return model.created_at < utcnow() - timedelta(seconds=upload_seconds)


async def drop_documents(session: AsyncSession, *where: ColumnElement[bool], **about: Any) -> None:
    """Remove the pending documents matching every condition of `where`."""
    gone = await session.execute(
        delete(Document)
        .where(Document.status == PENDING, *where)
        .returning(Document.id, Document.storage_key)
    )
    for document_id, key in gone.all():
        record(
            session,
            EventType.document_deleted,
            document_id=document_id,
            storage_keys=[key],
            reason="replaced",
            **about,
        )


async def drop_media(
    session: AsyncSession, product_id: Any, *superseded: ColumnElement[bool]
) -> None:
    """Remove the product's pending images matching any condition of `superseded`."""
    gone = await session.execute(
        delete(Media)
        .where(Media.product_id == product_id, Media.status == PENDING, or_(*superseded))
        .returning(Media.id, Media.storage_key)
    )
    for media_id, key in gone.all():
        record(
            session,
            EventType.media_deleted,
            media_id=media_id,
            product_id=product_id,
            storage_keys=[key],
            public_keys=[],
            reason="replaced",
        )
