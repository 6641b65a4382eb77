"""A channel's products as its exhibition catalog shows them: the catalog's own rows, today.

What the buyers' catalog shows and nothing else: only products published in the channel
and visible today (an ended exhibition or an expired certificate drops them), in the
approved revision's content. Read in a constant number of statements whatever the count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.filters import Entry, listed_in, visible
from app.catalog.schemas import CatalogItem
from app.catalog.service import MediaLinks, items_by_id
from app.channels.service import get_channel
from app.core import clock
from app.core.errors import Unprocessable
from app.core.storage import Storage
from app.directory.service import Supplier, suppliers_by_id
from app.exhibition.choices import CatalogLanguage
from app.models import Channel
from app.standards.table import CATEGORIES, CATEGORIES_BY_CODE

CATEGORY_ORDER = {c.code: i for i, c in enumerate(CATEGORIES)}


class StorageKeys(MediaLinks):
    """Images named by their storage key instead of a URL: the printed catalog reads the
    files themselves."""

    def url(self, media_id: uuid.UUID, key: str, public: bool) -> str:
        return key


@dataclass(frozen=True)
class ChannelInfo:
    code: str
    name: dict[str, str]
    kind: str
    venue: str | None
    city: str | None
    country: str | None
    starts_on: date | None
    ends_on: date | None

    @classmethod
    def of(cls, c: Channel) -> ChannelInfo:
        return cls(c.code, c.name, c.kind, c.venue, c.city, c.country, c.starts_on, c.ends_on)


@dataclass(frozen=True)
class Row:
    item: CatalogItem
    booth: str | None
    image_key: str | None  # of its first image
    page_url: str  # its public page, which its QR code opens


@dataclass(frozen=True)
class Section:
    category: str
    names: dict[str, str]  # the category's name by language
    rows: list[Row]


@dataclass(frozen=True)
class SupplierSection:
    """An approved supplier of the directory whose products the channel shows."""

    supplier: Supplier
    parts: list[Row]  # its products in this channel, in the catalog's order


@dataclass(frozen=True)
class ExhibitionCatalog:
    channel: ChannelInfo
    lang: CatalogLanguage
    today: date
    sections: list[Section]  # in the standards table's order of categories
    # Suppliers in the directory today among the MSMEs of the rows, by brand.
    suppliers: list[SupplierSection] = field(default_factory=list)

    @property
    def rows(self) -> Iterator[Row]:
        return (row for section in self.sections for row in section.rows)

    @property
    def count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


async def load(
    session: AsyncSession,
    code: str,
    *,
    lang: CatalogLanguage,
    base_url: str,
    storage: Storage,
    most: int,
) -> ExhibitionCatalog:
    """The catalog of channel `code` (404 when there is none), in `lang`; 422 when it
    holds more than `most` products."""
    channel = ChannelInfo.of(await get_channel(session, code))
    today = clock.today()
    ids = list(
        await session.scalars(
            select(Entry.product_id).where(visible(today), listed_in(channel.code, today))
        )
    )
    if len(ids) > most:
        raise Unprocessable(
            f"The channel shows {len(ids):,} products; this format holds at most {most:,}."
        )
    links = StorageKeys(storage, base_url)
    items = await items_by_id(session, ids, lang=lang, links=links, today=today)
    by_category: dict[str, list[Row]] = {}
    for item in items.values():
        booth = next((c.booth for c in item.channels if c.code == channel.code), None)
        key = item.media[0].url if item.media else None
        row = Row(item, booth, key, f"{base_url}/p/{item.id}")
        by_category.setdefault(item.category, []).append(row)
    sections = []
    for category in sorted(by_category, key=lambda c: (CATEGORY_ORDER.get(c, len(CATEGORIES)), c)):
        rows = sorted(by_category[category], key=lambda r: (r.item.name.casefold(), r.item.id))
        known = CATEGORIES_BY_CODE.get(category)
        sections.append(Section(category, known.name if known else {}, rows))
    catalog = ExhibitionCatalog(channel, lang, today, sections)
    suppliers = await suppliers_by_id(session, list({i.msme.id for i in items.values()}), today)
    parts: dict[uuid.UUID, list[Row]] = {}
    for row in catalog.rows:
        parts.setdefault(row.item.msme.id, []).append(row)
    for supplier in sorted(suppliers.values(), key=lambda s: (s.brand_name.casefold(), s.id)):
        catalog.suppliers.append(SupplierSection(supplier, parts.get(supplier.id, [])))
    return catalog
