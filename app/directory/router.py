"""The supplier directory's routes, beside the catalog's under /catalog (SPEC §10)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from app.access.dependencies import ANONYMOUS_TOO, OptionalUser
from app.catalog.dependencies import PROVINCE_ENUM, LanguageDep
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import PageParams, page_params
from app.core.routing import router as make_router
from app.core.schemas import named_enum
from app.directory import service
from app.directory.schemas import SupplierItem, SupplierPage
from app.standards.table import PROCESSES_BY_CODE, SUPPLIER_CERTIFICATIONS

router = make_router(prefix="/catalog", tags=["catalog"])
# The codes a filter takes, documented as enums (matched case-insensitively).
PROCESS_ENUM = named_enum("ProcessCode", list(PROCESSES_BY_CODE))
CERTIFICATION_ENUM = named_enum("SupplierCertificationCode", SUPPLIER_CERTIFICATIONS)


@router.get(
    "/suppliers",
    response_model=SupplierPage,
    responses=responses(401, 422),
    openapi_extra=ANONYMOUS_TOO,
)
async def list_catalog_suppliers(
    session: SessionDep,
    settings: SettingsDep,
    lang: LanguageDep,
    _: OptionalUser,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200)] = None,
    process: Annotated[str | None, Query(max_length=40, json_schema_extra=PROCESS_ENUM)] = None,
    material: Annotated[str | None, Query(max_length=100)] = None,
    certification: Annotated[
        str | None, Query(max_length=40, json_schema_extra=CERTIFICATION_ENUM)
    ] = None,
    province: Annotated[str | None, Query(max_length=60, json_schema_extra=PROVINCE_ENUM)] = None,
) -> SupplierPage:
    """The supplier directory

    Approved automotive suppliers whose quality certificate (ISO 9001 or IATF 16949) is
    verified and unexpired today, with their capabilities, certificates and products in
    the catalog. `q` searches brand, city and province, materials, customers, processes,
    certificates and product names in Japanese, English and Indonesian; `material`
    matches the words of a stated material. Filters combine with AND and their codes are
    case-insensitive: an unknown process, certification or province is a 422 naming the
    valid ones. `facets` count the suppliers by process, certification and province.
    Ordered by the review's score, best first, then by brand name.
    """
    f = service.checked_filter(
        q=q, process=process, material=material, certification=certification, province=province
    )
    return await service.search_page(session, f, page, lang=lang, secret=settings.secret_key)


@router.get(
    "/suppliers/{msme_id}",
    response_model=SupplierItem,
    responses=responses(401, 404),
    openapi_extra=ANONYMOUS_TOO,
)
async def get_catalog_supplier(
    msme_id: uuid.UUID, session: SessionDep, lang: LanguageDep, _: OptionalUser
) -> SupplierItem:
    """One supplier of the directory

    404 unless the MSME is an approved supplier whose quality certificate holds today.
    """
    return await service.get_item(session, msme_id, lang=lang)
