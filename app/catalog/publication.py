"""What follows a change to whether or how products are published.

`sync` is called by every write that can change the catalog (approval, archiving,
listing, unlisting, channel edits, documents, MSME edits): it recomputes the products'
catalog rows (app/catalog/entries.py) and, for storage backends that serve them, the
public copies of their images. An image is public while its product is in the catalog
and the approved revision shows it; `kurasi storage gc` sweeps what time alone changed
(a certificate or an exhibition that ended).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import entries
from app.catalog.service import visible_product_ids
from app.core.db import utcnow
from app.core.storage import Storage
from app.models import Media, Product, Revision
from app.models.enums import UploadStatus


async def sync(
    session: AsyncSession, storage: Storage, products: Iterable[uuid.UUID] | Select[Any]
) -> None:
    """`products`: ids, or a SELECT of ids (set-wise, for a channel's whole listing)."""
    scope = products if isinstance(products, Select) else list(set(products))
    await entries.refresh(session, scope)
    if not storage.publishes_copies:
        return
    ids = list((await session.scalars(scope)).all()) if isinstance(scope, Select) else scope
    if not ids:
        return
    visible = await visible_product_ids(session, ids)
    shown: set[str] = set()
    rows = await session.execute(
        select(Revision.content)
        .join(Product, Product.approved_revision_id == Revision.id)
        .where(Product.id.in_(visible))
    )
    for (content,) in rows:
        shown.update(m["id"] for m in content.get("media", []))
    media = await session.scalars(select(Media).where(Media.product_id.in_(ids)))
    for item in media:
        public = str(item.id) in shown and item.status == UploadStatus.uploaded
        if public and item.public_at is None:
            await storage.make_public(item.storage_key)
            item.public_at = utcnow()
        elif not public and item.public_at is not None:
            await storage.make_private(item.storage_key)
            item.public_at = None
    await session.flush()


async def sweep(session: AsyncSession, storage: Storage) -> int:
    """Withdraw public copies whose product left the catalog without an event; how many."""
    public = Media.public_at.isnot(None)
    before = set((await session.scalars(select(Media.id).where(public))).all())
    product_ids = (await session.scalars(select(Media.product_id).where(public))).all()
    await sync(session, storage, product_ids)
    after = set((await session.scalars(select(Media.id).where(public))).all())
    return len(before - after)
