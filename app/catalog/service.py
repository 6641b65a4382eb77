"""Catalog pages: the visible products, shaped for buyers, in a constant number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.facets import facets
from app.catalog.language import pick
from app.catalog.query import CatalogFilter, Entry, conditions, held
from app.catalog.schemas import (
    CatalogChannel,
    CatalogItem,
    CatalogMedia,
    Facets,
    Sort,
    Translations,
)
from app.catalog.search import ranked, read_postings, relevance_keys
from app.channels.service import channel_open
from app.core.errors import NotFound
from app.core.pagination import PageParams, SortKey, cursor_values, paginate_rows
from app.core.schemas import Money
from app.core.storage import Storage
from app.curation.schemas import MsmeBrief
from app.models import CatalogCertification, Channel, Listing, Media, Msme, Revision
from app.models.enums import UploadStatus


@dataclass(frozen=True)
class MediaLinks:
    """URLs a browser can fetch: the store's public copy, or the catalog's image route."""

    storage: Storage
    base_url: str

    def url(self, media_id: str, key: str, public: bool) -> str:
        if public and (direct := self.storage.public_url(key)):
            return direct
        return f"{self.base_url}/api/v1/catalog/media/{media_id}"


def sort_keys(sort: Sort) -> list[SortKey]:
    if sort == Sort.price_asc:
        return [SortKey(Entry.price_low), SortKey(Entry.product_id)]
    if sort == Sort.price_desc:
        return [
            SortKey(Entry.price_high, descending=True),
            SortKey(Entry.product_id, descending=True),
        ]
    return [SortKey(Entry.approved_at, descending=True), SortKey(Entry.product_id, descending=True)]


def page_statement() -> Select[Any]:
    """(product id, approved revision, MSME, yen price) of catalog entries."""
    stmt: Select[Any] = (
        select(Entry.product_id, Revision, Msme, Entry.price_jpy)  # type: ignore[assignment]
        .select_from(Entry)
        .join(Revision, Revision.id == Entry.revision_id)
        .join(Msme, Msme.id == Entry.msme_id)
    )
    return stmt


async def search(
    session: AsyncSession,
    f: CatalogFilter,
    sort: Sort,
    page: PageParams,
    *,
    lang: str,
    secret: str,
    links: MediaLinks,
) -> tuple[list[CatalogItem], str | None, Facets]:
    conds = conditions(f)
    scope = (
        f"catalog:{sort.value}:{f.q}:{f.category}:{f.hs_code}:{f.province}:{f.channel}:"
        f"{f.certification}:{f.max_moq}:{f.min_price_jpy}:{f.max_price_jpy}"
    )
    # The page is chosen on the catalog tables alone; only its rows' content is read
    # (a join before the LIMIT would read the content of every match).
    stmt: Select[Any] = select(Entry.product_id).where(*conds.values())
    keys = sort_keys(sort)
    if f.query is not None and sort == Sort.relevance:
        after = cursor_values(page, 3, secret=secret, scope=scope)
        postings = await read_postings(session, f.query)
        others = [c for k, c in conds.items() if k != "q"]
        hits = ranked(f.query, others, postings, after, page.limit)
        stmt, keys = select(hits.c.product_id), relevance_keys(hits)
    rows, cursor = await paginate_rows(session, stmt, keys, page, secret=secret, scope=scope)
    ids = [r[0] for r in rows]
    found = {
        r[0]: tuple(r)
        for r in await session.execute(page_statement().where(Entry.product_id.in_(ids)))
    }
    content = [found[i] for i in ids if i in found]
    items = await build_items(session, content, f.today, lang, links)
    return items, cursor, await facets(session, f, conds)


async def get_item(
    session: AsyncSession, product_id: uuid.UUID, *, lang: str, links: MediaLinks
) -> CatalogItem:
    items = await items_by_id(session, [product_id], lang=lang, links=links)
    if product_id not in items:
        raise NotFound("No such product in the catalog")
    return items[product_id]


async def items_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, lang: str, links: MediaLinks
) -> dict[uuid.UUID, CatalogItem]:
    """Catalog items for those of `ids` that are in the catalog now."""
    if not ids:
        return {}
    f = CatalogFilter()
    stmt = page_statement().where(*conditions(f).values(), Entry.product_id.in_(ids))
    rows = [tuple(r) for r in await session.execute(stmt)]
    return {item.id: item for item in await build_items(session, rows, f.today, lang, links)}


async def visible_product_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    stmt = select(Entry.product_id).where(
        *conditions(CatalogFilter()).values(), Entry.product_id.in_(ids)
    )
    return set((await session.scalars(stmt)).all())


async def build_items(
    session: AsyncSession,
    rows: Sequence[tuple[Any, ...]],
    today: date,
    lang: str,
    links: MediaLinks,
) -> list[CatalogItem]:
    if not rows:
        return []
    product_ids = [r[0] for r in rows]
    channels = await _channels(session, product_ids, today, lang)
    certs = await _certifications(session, product_ids, today)
    media_ids = [uuid.UUID(m["id"]) for r in rows for m in r[1].content.get("media", [])]
    stored: dict[str, tuple[str, bool]] = {}
    if media_ids:
        media_rows = await session.execute(
            select(Media.id, Media.storage_key, Media.public_at).where(
                Media.id.in_(media_ids), Media.status == UploadStatus.uploaded.value
            )
        )
        stored = {str(i): (key, public_at is not None) for i, key, public_at in media_rows}
    items = []
    for product_id, revision, msme, jpy in rows:
        content = revision.content
        listed = channels.get(product_id, [])
        items.append(
            CatalogItem(
                id=product_id,
                msme=MsmeBrief.model_validate(msme),
                category=revision.category,
                hs_code=revision.hs_code,
                name=pick(content["name"], lang),
                description=pick(content.get("description") or {}, lang),
                translations=Translations(
                    name=content["name"], description=content.get("description") or {}
                ),
                price=Money.of(revision.price_amount, revision.price_currency),
                price_jpy=Money.of(Decimal(jpy), "JPY") if jpy is not None else None,
                incoterm=content.get("incoterm"),
                moq=content.get("moq"),
                unit=content.get("unit") or "pcs",
                lead_time_days=content.get("lead_time_days"),
                monthly_capacity=content.get("monthly_capacity"),
                certifications=certs.get(product_id, []),
                media=[
                    CatalogMedia(url=links.url(m["id"], *stored[m["id"]]), alt=m.get("alt"))
                    for m in content.get("media", [])
                    if m["id"] in stored
                ],
                channels=[c for _, c in listed],
                published_at=min((at for at, _ in listed), default=revision.approved_at),
                revision=revision.number,
            )
        )
    return items


async def _channels(
    session: AsyncSession, product_ids: list[uuid.UUID], today: date, lang: str
) -> dict[uuid.UUID, list[tuple[datetime, CatalogChannel]]]:
    stmt = (
        select(Listing.product_id, Listing.published_at, Listing.booth, Channel.code, Channel.name)
        .join(Channel, Channel.id == Listing.channel_id)
        .where(Listing.product_id.in_(product_ids), channel_open(today))
        .order_by(Channel.code)
    )
    out: dict[uuid.UUID, list[tuple[datetime, CatalogChannel]]] = defaultdict(list)
    for product_id, published_at, booth, code, name in await session.execute(stmt):
        out[product_id].append(
            (published_at, CatalogChannel(code=code, name=pick(name, lang), booth=booth))
        )
    return out


async def _certifications(
    session: AsyncSession, product_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, list[str]]:
    """Verified, unexpired document types (own or the MSME's) by product id."""
    cert = CatalogCertification
    stmt = (
        select(cert.product_id, cert.doc_type)
        .where(cert.product_id.in_(product_ids), held(today))
        .order_by(cert.doc_type)
    )
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    for product_id, doc_type in await session.execute(stmt):
        out[product_id].append(doc_type)
    return out
