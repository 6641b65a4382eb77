from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import RedirectResponse

from app.access.dependencies import ANONYMOUS_TOO, OptionalUser
from app.catalog import images, service
from app.catalog.dependencies import PROVINCE_ENUM, LanguageDep, MediaLinksDep
from app.catalog.schemas import CatalogItem, CatalogPage, Sort
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep, SideSessionsDep, StorageDep
from app.core.errors import responses
from app.core.pagination import PageParams, page_params
from app.core.routing import router as make_router
from app.core.schemas import named_enum
from app.standards.table import BUYER_FACING, CATEGORIES_BY_CODE

router = make_router(prefix="/catalog", tags=["catalog"])
# Bounds of the columns the filters compare with (an integer, a NUMERIC(18)).
MAX_INT = 2**31 - 1
PRICE = r"^\d{1,15}(\.\d{1,2})?$"
# The codes a filter takes, documented as enums (matched case-insensitively).
CATEGORY_ENUM = named_enum("Category", sorted(CATEGORIES_BY_CODE))
CERTIFICATION_ENUM = named_enum("Certification", sorted(BUYER_FACING))


@router.get(
    "/products",
    response_model=CatalogPage,
    responses=responses(401, 422),
    openapi_extra=ANONYMOUS_TOO,
)
async def list_catalog_products(
    session: SessionDep,
    side: SideSessionsDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    lang: LanguageDep,
    _: OptionalUser,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=40, json_schema_extra=CATEGORY_ENUM)] = None,
    hs_code: Annotated[str | None, Query(pattern=r"^\d{1,10}$")] = None,
    province: Annotated[str | None, Query(max_length=60, json_schema_extra=PROVINCE_ENUM)] = None,
    channel: Annotated[str | None, Query(max_length=64)] = None,
    certification: Annotated[
        str | None, Query(max_length=40, json_schema_extra=CERTIFICATION_ENUM)
    ] = None,
    max_moq: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
    min_price_jpy: Annotated[str | None, Query(pattern=PRICE)] = None,
    max_price_jpy: Annotated[str | None, Query(pattern=PRICE)] = None,
    sort: Sort = Sort.relevance,
) -> CatalogPage:
    """Search and browse the published catalog

    Published products (their approved revisions). `q` searches names and descriptions
    in Japanese, English and Indonesian; filters combine with AND and their codes are
    case-insensitive: an unknown category, certification, province or channel is a 422
    naming the valid ones. `facets` count the matches by category, province,
    certification and channel. Prices are shown in JPY at the latest exchange rate.
    """
    f = service.checked_filter(
        q=q,
        category=category,
        hs_code=hs_code,
        province=province,
        channel=channel,
        certification=certification,
        max_moq=max_moq,
        min_price_jpy=Decimal(min_price_jpy) if min_price_jpy else None,
        max_price_jpy=Decimal(max_price_jpy) if max_price_jpy else None,
    )
    return await service.search(
        session, f, sort, page, lang=lang, secret=settings.secret_key, links=links, beside=side
    )


@router.get(
    "/products/{product_id}",
    response_model=CatalogItem,
    responses=responses(401, 404),
    openapi_extra=ANONYMOUS_TOO,
)
async def get_catalog_product(
    product_id: uuid.UUID,
    session: SessionDep,
    links: MediaLinksDep,
    lang: LanguageDep,
    _: OptionalUser,
) -> CatalogItem:
    """One published product

    404 unless the product is published on an active channel.
    """
    return await service.get_item(session, product_id, lang=lang, links=links)


@router.get(
    "/media/{media_id}",
    status_code=307,
    response_class=RedirectResponse,
    responses={**responses(404), 307: {"description": "To the image"}},
)
async def get_catalog_media(
    media_id: uuid.UUID,
    session: SessionDep,
    storage: StorageDep,
    base_url: BaseUrlDep,
) -> RedirectResponse:
    """An image of a published product

    Redirects (307) to the image's public URL; 404 once the product leaves the catalog.
    """
    url = await images.image_url(session, storage, media_id, base_url=base_url)
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "public, max-age=60"})
