"""Product images: declared, uploaded to storage, checked on completion."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.access.msmes import msme_visible
from app.catalog.cache import CATALOG
from app.core.db import signal, utcnow
from app.core.errors import NotFound, Unprocessable
from app.core.storage import Storage, StoredObjectMismatch, UploadTicket, verify_stored_object
from app.core.uploads import IMAGE_TYPES, MAX_IMAGE_BYTES, check_declared
from app.events.outbox import EventType, record
from app.files import abandoned
from app.media.schemas import MediaCreate
from app.models import Media, Product, User
from app.models.enums import UploadStatus
from app.products.service import check_editable, record_change


def readable_media(user: User) -> Select[Media]:
    return (
        select(Media)
        .join(Product, Product.id == Media.product_id)
        .where(msme_visible(user, Product.msme_id))
    )


async def get_readable_media(session: AsyncSession, user: User, media_id: uuid.UUID) -> Media:
    media = await session.scalar(readable_media(user).where(Media.id == media_id))
    if media is None:
        raise NotFound("No such media")
    return media


async def start_upload(
    session: AsyncSession,
    storage: Storage,
    owner: User,
    product: Product,
    data: MediaCreate,
    base_url: str,
) -> tuple[Media, UploadTicket]:
    check_editable(product)
    check_declared(data.content_type, data.size, IMAGE_TYPES, MAX_IMAGE_BYTES)
    media_id = uuid.uuid4()
    key = f"msmes/{product.msme_id}/products/{product.id}/media/{media_id}"
    # Signed before the row is written, so that no lock waits on the store.
    ticket = await storage.presign_upload(key, data.content_type, data.size, base_url=base_url)
    # Images never completed go when this one supersedes them: the same file declared
    # again, another at its position, or any whose upload can no longer arrive.
    superseded = [
        and_(
            Media.filename == data.filename,
            Media.size == data.size,
            Media.content_type == data.content_type,
        ),
        abandoned.expired(Media, storage.upload_seconds),
    ]
    if data.position is not None:
        superseded.append(Media.position == data.position)
    await abandoned.drop(
        session,
        Media,
        Media.product_id == product.id,
        or_(*superseded),
        product_id=product.id,
        public_keys=[],
    )
    position = data.position
    if position is None:
        last = await session.scalar(
            select(func.max(Media.position)).where(Media.product_id == product.id)
        )
        position = 0 if last is None else last + 1
    media = Media(
        id=media_id,
        product_id=product.id,
        filename=data.filename,
        content_type=data.content_type,
        size=data.size,
        alt=data.alt,
        position=position,
        storage_key=key,
        status=UploadStatus.pending_upload.value,
    )
    session.add(media)
    await session.flush()
    return media, ticket


async def complete_upload(
    session: AsyncSession, storage: Storage, owner: User, media: Media
) -> Media:
    if media.status == UploadStatus.uploaded:
        return media
    product = await session.get_one(Product, media.product_id)
    check_editable(product)
    try:
        await verify_stored_object(storage, media.storage_key, media.size, media.content_type)
    except StoredObjectMismatch as exc:
        raise Unprocessable(str(exc)) from exc
    media.status = UploadStatus.uploaded.value
    media.uploaded_at = utcnow()
    await record_change(session, product, owner)
    return media


async def delete(session: AsyncSession, owner: User, media: Media) -> None:
    """Remove the image; its object and public copy go after the commit
    (app/files/cleanup.py). The catalog stops showing it at once."""
    product = await session.get_one(Product, media.product_id)
    if media.status == UploadStatus.uploaded:
        await record_change(session, product, owner)
    else:
        check_editable(product)
    await session.delete(media)
    await session.flush()
    signal(session, CATALOG)  # a published product's page shows its images
    record(
        session,
        EventType.media_deleted,
        media_id=media.id,
        product_id=media.product_id,
        storage_keys=[media.storage_key],
        public_keys=[media.storage_key] if media.public_at is not None else [],
    )
