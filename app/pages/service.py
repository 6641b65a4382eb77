"""What the public page of a product shows: the catalog's own item, and the channels'
venues and contacts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.schemas import CatalogItem
from app.catalog.service import MediaLinks, items_by_id
from app.models import Channel


@dataclass(frozen=True)
class ProductPage:
    item: CatalogItem
    channels: dict[str, Channel]  # by code, each channel the item is listed in


def product_id(text: str) -> uuid.UUID | None:
    """The id in a page's path, or None for anything that is not a UUID (browsers send
    whatever a link or a damaged QR code holds: it is a missing page, not a 422)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


async def product_page(
    session: AsyncSession, product_id: uuid.UUID, *, lang: str, links: MediaLinks
) -> ProductPage | None:
    """The page of a product in the catalog now (published, on a channel that shows it,
    its certificates valid), in five statements; None for any other product."""
    item = (await items_by_id(session, [product_id], lang=lang, links=links)).get(product_id)
    if item is None:
        return None
    codes = [c.code for c in item.channels]
    rows = await session.scalars(select(Channel).where(Channel.code.in_(codes)))
    return ProductPage(item, {c.code: c for c in rows})
