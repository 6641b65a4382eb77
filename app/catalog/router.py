from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import RedirectResponse

from app.access.dependencies import OptionalUser
from app.catalog import images, service
from app.catalog.dependencies import LanguageDep, MediaLinksDep
from app.catalog.schemas import CatalogItem, CatalogPage, Sort
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep, SideSessionsDep, StorageDep
from app.core.errors import responses
from app.core.pagination import PageParams, page_params
from app.core.routing import router as make_router

router = make_router(prefix="/catalog", tags=["catalog"])
# Bounds of the columns the filters compare with (an integer, a NUMERIC(18)).
MAX_INT = 2**31 - 1
MAX_PRICE = Decimal(10**15)


@router.get(
    "/products",
    response_model=CatalogPage,
    responses=responses(401, 422),
    description="Published products (their approved revisions), with facets for the filter. "
    "Filter codes are case-insensitive; an unknown category, certification or channel is "
    "a 422 naming the valid ones.",
)
async def list_products(
    session: SessionDep,
    side: SideSessionsDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    lang: LanguageDep,
    _: OptionalUser,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    hs_code: Annotated[str | None, Query(pattern=r"^\d{1,10}$")] = None,
    province: Annotated[str | None, Query(max_length=60)] = None,
    channel: Annotated[str | None, Query(max_length=64)] = None,
    certification: Annotated[str | None, Query(max_length=40)] = None,
    max_moq: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
    min_price_jpy: Annotated[Decimal | None, Query(ge=0, le=MAX_PRICE)] = None,
    max_price_jpy: Annotated[Decimal | None, Query(ge=0, le=MAX_PRICE)] = None,
    sort: Sort = Sort.relevance,
) -> CatalogPage:
    f = service.checked_filter(
        q=q,
        category=category,
        hs_code=hs_code,
        province=province,
        channel=channel,
        certification=certification,
        max_moq=max_moq,
        min_price_jpy=min_price_jpy,
        max_price_jpy=max_price_jpy,
    )
    return await service.search(
        session, f, sort, page, lang=lang, secret=settings.secret_key, links=links, beside=side
    )


@router.get("/products/{product_id}", response_model=CatalogItem, responses=responses(401, 404))
async def get_product(
    product_id: uuid.UUID,
    session: SessionDep,
    links: MediaLinksDep,
    lang: LanguageDep,
    _: OptionalUser,
) -> CatalogItem:
    return await service.get_item(session, product_id, lang=lang, links=links)


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
    url = await images.image_url(session, storage, media_id, base_url=base_url)
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "public, max-age=60"})
