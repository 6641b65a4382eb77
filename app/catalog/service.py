"""Catalog pages: the visible products, shaped for buyers, in a constant number of queries."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.catalog import facets
from app.catalog import search as text_search
from app.catalog.filters import CatalogFilter, Entry, conditions, visible
from app.catalog.language import pick
from app.catalog.schemas import (
    CatalogChannel,
    CatalogItem,
    CatalogMedia,
    CatalogMsme,
    CatalogPage,
    Sort,
    Translations,
)
from app.catalog.sync import current_certifications, lasts_until
from app.core import clock
from app.core.errors import NotFound, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate_rows
from app.core.schemas import Money
from app.core.storage import Storage
from app.models import CatalogChannel as Listed
from app.models import Channel, Listing, Media, Msme, Revision
from app.models.enums import UploadStatus
from app.standards.provinces import PROVINCES, canonical_province
from app.standards.table import BUYER_FACING, CATEGORIES_BY_CODE


@dataclass(frozen=True)
class MediaLinks:
    """URLs a browser can fetch: the store's public copy, or the catalog's image route."""

    storage: Storage
    base_url: str

    def url(self, media_id: uuid.UUID, key: str, public: bool) -> str:
        if public and (direct := self.storage.public_url(key)):
            return direct
        return f"{self.base_url}/api/v1/catalog/media/{media_id}"


def checked_filter(**given: Any) -> CatalogFilter:
    """The filter a buyer asked for, its codes in their canonical case; 422 naming the
    valid codes for a category or certification that does not exist (a channel is
    checked by `search`, which reads the channels anyway)."""
    f = CatalogFilter(**given)
    for name in ("q", "category", "province", "channel", "certification"):
        value = getattr(f, name)
        setattr(f, name, value.strip() or None if value else None)
    f.category = f.category.lower() if f.category else None
    f.certification = f.certification.lower() if f.certification else None
    f.channel = f.channel.lower() if f.channel else None
    errors = []
    if f.province:
        if (province := canonical_province(f.province)) is None:
            errors.append(unknown_code("province", f.province, [p[0] for p in PROVINCES]))
        f.province = province
    if f.category and f.category not in CATEGORIES_BY_CODE:
        errors.append(unknown_code("category", f.category, list(CATEGORIES_BY_CODE)))
    if f.certification and f.certification not in BUYER_FACING:
        errors.append(unknown_code("certification", f.certification, list(BUYER_FACING)))
    raise_unknown(errors)
    return f


def unknown_code(name: str, value: str, valid: list[str]) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": f"unknown {name} {value!r}; valid: {', '.join(valid)}"}


def raise_unknown(errors: list[dict[str, Any]]) -> None:
    if errors:
        detail = "Unknown filter code: " + "; ".join(e["msg"] for e in errors)
        raise Unprocessable(detail, errors=errors)


def sort_keys(sort: Sort) -> list[SortKey]:
    if sort == Sort.price_asc:
        return [SortKey(Entry.price_low), SortKey(Entry.product_id)]
    if sort == Sort.price_desc:
        return [
            SortKey(Entry.price_high, descending=True),
            SortKey(Entry.product_id, descending=True),
        ]
    return [SortKey(Entry.approved_at, descending=True), SortKey(Entry.product_id, descending=True)]


async def search(
    session: AsyncSession,
    f: CatalogFilter,
    sort: Sort,
    page: PageParams,
    *,
    lang: str,
    secret: str,
    links: MediaLinks,
    beside: async_sessionmaker[AsyncSession] | None = None,
) -> CatalogPage:
    """A page of `f`, and its facets.

    With `beside` (PostgreSQL), the facets are counted on a connection of their own
    while this session reads the page: the count is most of a first request's time, and
    the page's queries and Python then run within it rather than after it. Each statement
    reads its own snapshot under READ COMMITTED either way."""
    dialect = session.get_bind().dialect.name
    names = {code: name for code, name in await session.execute(select(Channel.code, Channel.name))}
    if f.channel and f.channel not in names:
        raise_unknown([unknown_code("channel", f.channel, sorted(names))])
    conds = conditions(f, dialect)
    given = ":".join(str(getattr(f, field.name)) for field in fields(f) if field.name != "today")
    keys = sort_keys(sort)
    if f.query is not None and sort == Sort.relevance:
        score = text_search.score(f.query, dialect)
        keys = [SortKey(score, descending=True), *sort_keys(Sort.newest)]
    counting = asyncio.create_task(_count(beside, conds, f, dialect)) if beside else None
    try:
        rows, cursor = await paginate_rows(
            session,
            select(Entry.product_id).where(*conds.values()),
            keys,
            page,
            secret=secret,
            scope=f"catalog:{sort.value}:{given}",
        )
        found = await items_by_id(
            session, [r[0] for r in rows], lang=lang, links=links, today=f.today
        )
        counts = await counting if counting else await facets.count(session, conds, f, dialect)
    finally:
        if counting is not None and not counting.done():  # the page failed (a bad cursor)
            counting.cancel()
            await asyncio.wait([counting])
    return CatalogPage(
        items=[found[r[0]] for r in rows if r[0] in found],
        next_cursor=cursor,
        facets=facets.labelled(counts, lang=lang, channels=names),
    )


async def _count(
    sessions: async_sessionmaker[AsyncSession],
    conds: dict[str, ColumnElement[bool]],
    f: CatalogFilter,
    dialect: str,
) -> facets.Counts:
    async with sessions() as session:
        return await facets.count(session, conds, f, dialect)


async def get_item(
    session: AsyncSession, product_id: uuid.UUID, *, lang: str, links: MediaLinks
) -> CatalogItem:
    items = await items_by_id(session, [product_id], lang=lang, links=links)
    if product_id not in items:
        raise NotFound("No such product in the catalog")
    return items[product_id]


async def visible_product_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    stmt = select(Entry.product_id).where(visible(clock.today()), Entry.product_id.in_(ids))
    return set((await session.scalars(stmt)).all())


async def items_by_id(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    *,
    lang: str,
    links: MediaLinks,
    today: date | None = None,
) -> dict[uuid.UUID, CatalogItem]:
    """Catalog items for those of `ids` that are in the catalog now, in four statements."""
    if not ids:
        return {}
    today = today or clock.today()
    dialect = session.get_bind().dialect.name
    rows = (
        await session.execute(
            select(
                Entry.product_id,
                Entry.price_jpy,
                current_certifications(today, dialect),
                # The revision's content, not its search terms: those are the catalog's.
                Revision.content,
                Revision.number,
                Revision.approved_at,
                Msme.id,
                Msme.brand_name,
                Msme.province,
                Msme.verified,
            )
            .join(Revision, Revision.id == Entry.revision_id)
            .join(Msme, Msme.id == Entry.msme_id)
            .where(Entry.product_id.in_(ids), visible(today))
        )
    ).all()
    if not rows:
        return {}
    shown = await _channels(session, [r[0] for r in rows], today, lang)
    stored = await _media(session, [m.id for r in rows for m in r[3].media])
    items = {}
    for product_id, jpy, certifications, content, number, approved_at, *msme in rows:
        listed = shown.get(product_id, [])
        items[product_id] = CatalogItem(
            id=product_id,
            msme=CatalogMsme(id=msme[0], brand_name=msme[1], province=msme[2], verified=msme[3]),
            category=content.category,
            hs_code=content.hs_code,
            name=pick(content.name, lang),
            description=pick(content.description, lang),
            translations=Translations(name=content.name, description=content.description),
            price=Money.of(content.price.amount, content.price.currency),
            price_jpy=Money.of(Decimal(jpy), "JPY") if jpy is not None else None,
            incoterm=content.incoterm,  # type: ignore[arg-type]
            moq=content.moq,
            unit=content.unit,
            lead_time_days=content.lead_time_days,
            monthly_capacity=content.monthly_capacity,
            certifications=certifications.split(),
            media=[
                CatalogMedia(url=links.url(m.id, *stored[m.id]), alt=m.alt)
                for m in content.media
                if m.id in stored
            ],
            channels=[c for _, c in listed],
            published_at=min((at for at, _ in listed), default=approved_at),
            revision=number,
        )
    return items


async def _channels(
    session: AsyncSession, product_ids: list[uuid.UUID], today: date, lang: str
) -> dict[uuid.UUID, list[tuple[datetime, CatalogChannel]]]:
    stmt = (
        select(Listing.product_id, Listing.published_at, Listing.booth, Listed.code, Channel.name)
        .join(
            Listed,
            (Listed.product_id == Listing.product_id) & (Listed.channel_id == Listing.channel_id),
        )
        .join(Channel, Channel.id == Listing.channel_id)
        .where(Listing.product_id.in_(product_ids), lasts_until(Listed.last_day, today))
        .order_by(Listed.code)
    )
    out: dict[uuid.UUID, list[tuple[datetime, CatalogChannel]]] = defaultdict(list)
    for product_id, published_at, booth, code, name in await session.execute(stmt):
        out[product_id].append(
            (published_at, CatalogChannel(code=code, name=pick(name, lang), booth=booth))
        )
    return out


async def _media(
    session: AsyncSession, media_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, bool]]:
    """(storage key, has a public copy) of the uploaded images among `media_ids`."""
    if not media_ids:
        return {}
    rows = await session.execute(
        select(Media.id, Media.storage_key, Media.public_at).where(
            Media.id.in_(media_ids), Media.status == UploadStatus.uploaded.value
        )
    )
    return {i: (key, public_at is not None) for i, key, public_at in rows}
