"""Published product images: where buyers load them, and their public copies.

An image is shown while its product is in the catalog and the approved revision shows it.
The catalog gives each one's URL (`MediaLinks`): the store's public copy when there is one
(S3, behind a CDN), else the catalog's own image route, which answers with a short-lived
redirect to the file. So an image loads from the moment its product appears, and the
public copy, made later by `kurasi worker` (`publish_images`), only changes where from.
No storage call runs in a catalog write: the copies follow the events the writes record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.catalog.cache import CATALOG
from app.catalog.service import visible_product_ids
from app.core.db import signal, utcnow
from app.core.errors import NotFound
from app.core.storage import Storage
from app.events.worker import WorkerContext
from app.models import Listing, Media, OutboxEvent, Product, Revision
from app.models.enums import UploadStatus

CHUNK = 500
# A write racing the copies changes what should be public while they run: look again.
PASSES = 3


async def image_url(
    session: AsyncSession, storage: Storage, media_id: uuid.UUID, *, base_url: str
) -> str:
    """A short-lived URL of an image the catalog shows; 404 for any other."""
    row = (
        await session.execute(
            select(Media.storage_key, Media.product_id, Revision.content)
            .join(Product, Product.id == Media.product_id)
            .join(Revision, Revision.id == Product.approved_revision_id)
            .where(Media.id == media_id, Media.status == UploadStatus.uploaded.value)
        )
    ).first()
    if (
        row is None
        or all(m.id != media_id for m in row.content.media)
        or not await visible_product_ids(session, [row.product_id])
    ):
        raise NotFound("No such image in the catalog")
    return await storage.download_url(row.storage_key, base_url=base_url)


async def publish_images(ctx: WorkerContext, event: OutboxEvent) -> None:
    """Make the public copies of the images of the products an event touched match what
    the catalog shows (a handler of `kurasi worker`; idempotent)."""
    if not ctx.storage.publishes_copies:
        return
    async with ctx.sessions() as session:
        products = await _products_of(session, event.payload)
    for start in range(0, len(products), CHUNK):
        await converge(ctx.sessions, ctx.storage, products[start : start + CHUNK])


async def sweep(sessions: async_sessionmaker[AsyncSession], storage: Storage) -> int:
    """Withdraw the public copies of products that left the catalog by time alone (an
    expired certificate, an exhibition's end); how many."""
    async with sessions() as session:
        products = list(
            (
                await session.scalars(
                    select(Media.product_id).where(Media.public_at.isnot(None)).distinct()
                )
            ).all()
        )
    withdrawn = 0
    for start in range(0, len(products), CHUNK):
        withdrawn += await converge(sessions, storage, products[start : start + CHUNK])
    return withdrawn


async def converge(
    sessions: async_sessionmaker[AsyncSession], storage: Storage, products: Sequence[uuid.UUID]
) -> int:
    """Copy or withdraw images of `products` until their public copies match the catalog;
    how many copies were withdrawn. No transaction is open during the storage calls."""
    withdrawn = 0
    for _ in range(PASSES):
        async with sessions() as session:
            changes = await _differences(session, products)
        if not changes:
            break
        for _media_id, key, public in changes:
            if public:
                await storage.make_public(key)
            else:
                await storage.make_private(key)
                withdrawn += 1
        async with sessions() as session, session.begin():
            signal(session, CATALOG)  # catalog pages link the copies
            for media_id, _key, public in changes:
                await session.execute(
                    update(Media)
                    .where(Media.id == media_id)
                    .values(public_at=utcnow() if public else None)
                )
    return withdrawn


async def _differences(
    session: AsyncSession, products: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str, bool]]:
    """(media id, storage key, should be public) of the images whose copy is not as the
    catalog wants it."""
    visible = await visible_product_ids(session, products)
    shown: set[uuid.UUID] = set()
    for content in await session.scalars(
        select(Revision.content)
        .join(Product, Product.approved_revision_id == Revision.id)
        .where(Product.id.in_(visible))
    ):
        shown.update(m.id for m in content.media)
    rows = await session.execute(
        select(Media.id, Media.storage_key, Media.public_at, Media.status).where(
            Media.product_id.in_(products)
        )
    )
    changes = []
    for media_id, key, public_at, status in rows:
        public = media_id in shown and status == UploadStatus.uploaded.value
        if public != (public_at is not None):
            changes.append((media_id, key, public))
    return changes


async def _products_of(session: AsyncSession, payload: dict[str, Any]) -> list[uuid.UUID]:
    """The products an event is about: its product, or its MSME's or channel's."""
    if "product_id" in payload:
        return [uuid.UUID(payload["product_id"])]
    if "msme_id" in payload:
        stmt = select(Product.id).where(Product.msme_id == uuid.UUID(payload["msme_id"]))
    elif "channel_id" in payload:
        stmt = select(Listing.product_id).where(
            Listing.channel_id == uuid.UUID(payload["channel_id"])
        )
    else:
        return []
    return list((await session.scalars(stmt)).all())
