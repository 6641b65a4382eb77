from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Header, Query
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from app.catalog import service
from app.catalog.language import negotiate
from app.catalog.query import CatalogFilter
from app.catalog.schemas import CatalogItem, CatalogPage, Sort
from app.core.deps import BaseUrlDep, OptionalUser, SessionDep, SettingsDep, StorageDep
from app.core.errors import NotFound, responses
from app.core.pagination import PageParams, page_params
from app.core.routing import router as make_router
from app.models import Media, Product, Revision
from app.msmes.provinces import canonical_province

router = make_router(prefix="/catalog", tags=["catalog"])

Lang = Annotated[str | None, Query(pattern="^(ja|en|id)$", description="ja, en or id")]
AcceptLanguage = Annotated[str | None, Header(alias="Accept-Language")]


def media_links(storage: StorageDep, base_url: BaseUrlDep) -> service.MediaLinks:
    return service.MediaLinks(storage, base_url)


MediaLinksDep = Annotated[service.MediaLinks, Depends(media_links)]


@router.get(
    "/products",
    response_model=CatalogPage,
    responses=responses(401, 422),
    description="Published products (their approved revisions), with facets for the filter.",
)
async def list_products(
    session: SessionDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    _: OptionalUser,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    hs_code: Annotated[str | None, Query(pattern=r"^\d{1,10}$")] = None,
    province: Annotated[str | None, Query(max_length=60)] = None,
    channel: Annotated[str | None, Query(max_length=64)] = None,
    certification: Annotated[str | None, Query(max_length=40)] = None,
    max_moq: Annotated[int | None, Query(ge=0)] = None,
    min_price_jpy: Annotated[Decimal | None, Query(ge=0)] = None,
    max_price_jpy: Annotated[Decimal | None, Query(ge=0)] = None,
    sort: Sort = Sort.relevance,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> CatalogPage:
    f = CatalogFilter(
        q=q.strip() or None if q else None,
        category=category,
        hs_code=hs_code,
        province=(canonical_province(province) or province) if province else None,
        channel=channel,
        certification=certification,
        max_moq=max_moq,
        min_price_jpy=min_price_jpy,
        max_price_jpy=max_price_jpy,
    )
    items, cursor, facets = await service.search(
        session,
        f,
        sort,
        page,
        lang=negotiate(lang, accept_language),
        secret=settings.secret_key,
        links=links,
    )
    return CatalogPage(items=items, next_cursor=cursor, facets=facets)


@router.get("/products/{product_id}", response_model=CatalogItem, responses=responses(401, 404))
async def get_product(
    product_id: uuid.UUID,
    session: SessionDep,
    links: MediaLinksDep,
    _: OptionalUser,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> CatalogItem:
    return await service.get_item(
        session,
        product_id,
        lang=negotiate(lang, accept_language),
        links=links,
    )


@router.get(
    "/media/{media_id}",
    status_code=307,
    response_class=RedirectResponse,
    responses={**responses(404), 307: {"description": "To the image"}},
    description="An image of a published product; 404 once the product leaves the catalog.",
)
async def get_media(
    media_id: uuid.UUID,
    session: SessionDep,
    storage: StorageDep,
    base_url: BaseUrlDep,
) -> RedirectResponse:
    row = (
        await session.execute(
            select(Media, Revision)
            .join(Product, Product.id == Media.product_id)
            .join(Revision, Revision.id == Product.approved_revision_id)
            .where(Media.id == media_id)
        )
    ).first()
    shown = row is not None and any(
        m["id"] == str(media_id) for m in row[1].content.get("media", [])
    )
    if (
        row is None
        or not shown
        or not await service.visible_product_ids(session, [row[0].product_id])
    ):
        raise NotFound("No such image in the catalog")
    url = await storage.download_url(row[0].storage_key, base_url=base_url)
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "public, max-age=60"})
