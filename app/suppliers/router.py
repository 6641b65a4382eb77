from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.access.dependencies import StaffUser, WorkspaceUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.msmes.access import get_readable_msme
from app.msmes.schemas import MsmeOut
from app.suppliers import service
from app.suppliers.schemas import SupplierReviewIn, SupplierReviewOut

router = make_router(prefix="/msmes", tags=["suppliers"])


@router.post(
    "/{msme_id}/supplier-review",
    response_model=MsmeOut,
    responses=responses(401, 403, 404, 422),
)
async def review_supplier(
    msme_id: uuid.UUID, body: SupplierReviewIn, curator: StaffUser, session: SessionDep
) -> MsmeOut:
    """Decide on an MSME as an automotive supplier (curator)

    Approval needs every supplier criterion passed or not applicable, the MSME verified
    and an `iso9001` or `iatf16949` certificate of the MSME verified and unexpired; the
    422 lists every condition unmet. A comment is required unless approving. The review
    is kept in the MSME's supplier-review history.
    """
    # Locked: two reviews at once are recorded one after the other.
    msme = await get_readable_msme(session, curator, msme_id, for_update=True)
    await service.review(session, msme, curator, body)
    await session.refresh(msme, ["documents"])
    return MsmeOut.model_validate(msme)


@router.get(
    "/{msme_id}/supplier-reviews",
    response_model=Page[SupplierReviewOut],
    responses=responses(401, 403, 404, 422),
)
async def list_supplier_reviews(
    msme_id: uuid.UUID,
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[SupplierReviewOut]:
    """The MSME's supplier reviews, newest first"""
    await get_readable_msme(session, user, msme_id)
    rows, cursor = await service.history(session, msme_id, page, secret=settings.secret_key)
    return Page(items=[SupplierReviewOut.model_validate(r) for r in rows], next_cursor=cursor)
