from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body, Depends, Response
from pydantic import BaseModel

from app.access.dependencies import OwnerUser, StaffUser, WorkspaceUser
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep, StorageDep
from app.core.errors import Forbidden, responses
from app.core.pagination import Page, PageParams, page_params
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.core.uploads import UPLOAD_ERRORS
from app.documents import service as documents
from app.documents.schemas import DocumentUploadOut, MsmeDocumentCreate
from app.idempotency import IdempotencyDep
from app.models import Msme
from app.models.enums import Role
from app.msmes import service
from app.msmes.access import get_readable_msme
from app.msmes.schemas import MsmeCreate, MsmeOut, MsmeUpdate, MsmeVerify

router = make_router(prefix="/msmes", tags=["msmes"])


async def _out(session: SessionDep, msme: Msme) -> MsmeOut:
    await session.refresh(msme, ["documents"])
    return MsmeOut.model_validate(msme)


@router.post("", status_code=201, response_model=MsmeOut, responses=responses(401, 403, 409, 422))
async def create_msme(body: MsmeCreate, owner: OwnerUser, session: SessionDep) -> MsmeOut:
    """Register an MSME (owner)"""
    msme = await service.create_msme(session, owner, body)
    return await _out(session, msme)


@router.get("", response_model=Page[MsmeOut], responses=responses(401, 403, 422))
async def list_msmes(
    user: WorkspaceUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[MsmeOut]:
    """List MSMEs

    An owner sees their own; curators and admins all.
    """
    rows, cursor = await service.list_readable(session, user, page, secret=settings.secret_key)
    return Page(items=[MsmeOut.model_validate(m) for m in rows], next_cursor=cursor)


@router.get("/{msme_id}", response_model=MsmeOut, responses=responses(401, 403, 404))
async def get_msme(msme_id: uuid.UUID, user: WorkspaceUser, session: SessionDep) -> MsmeOut:
    """One MSME profile"""
    msme = await get_readable_msme(session, user, msme_id, with_documents=True)
    return MsmeOut.model_validate(msme)


@router.patch("/{msme_id}", response_model=MsmeOut, responses=responses(401, 403, 404, 409, 422))
async def update_msme(
    msme_id: uuid.UUID, body: MsmeUpdate, user: WorkspaceUser, session: SessionDep
) -> MsmeOut:
    """Change an MSME profile"""
    # Locked: the directory's terms are computed from the whole row as read here.
    msme = await get_readable_msme(session, user, msme_id, for_update=True)
    if "capabilities" in body.model_fields_set and user.role == Role.curator:
        # The owner's statement of what the workshop can make (SPEC §10): a curator
        # judges it in the supplier review and does not write it.
        raise Forbidden("Capabilities are set by the MSME's owner or an admin.")
    msme = await service.update_msme(session, msme, body)
    return await _out(session, msme)


@router.post("/{msme_id}/verify", response_model=MsmeOut, responses=responses(401, 403, 404, 422))
async def verify_msme(
    msme_id: uuid.UUID,
    curator: StaffUser,
    session: SessionDep,
    body: Annotated[MsmeVerify | None, Body()] = None,
) -> MsmeOut:
    """Mark an MSME verified, or not (curator)

    Approval and publication need a verified MSME.
    """
    msme = await get_readable_msme(session, curator, msme_id)
    msme = await service.set_verified(session, msme, curator, body.verified if body else True)
    return await _out(session, msme)


@router.post(
    "/{msme_id}/documents",
    status_code=201,
    response_model=DocumentUploadOut,
    responses=UPLOAD_ERRORS,
    tags=["documents"],
    description="Declare a business-level document (NIB, NPWP, SVLK, HACCP) of an MSME. "
    "Upload starts per owner are limited (429); an `Idempotency-Key` replay does not count.",
)
async def start_msme_document(
    msme_id: uuid.UUID,
    body: MsmeDocumentCreate,
    owner: OwnerUser,
    session: SessionDep,
    storage: StorageDep,
    idem: IdempotencyDep,
    base_url: BaseUrlDep,
    limits: LimitsDep,
) -> BaseModel | Response:
    """Start the upload of a business document of the MSME"""
    msme = await get_readable_msme(session, owner, msme_id)
    return await idem.run(
        session,
        owner.id,
        limits.counting(
            "upload-owner",
            str(owner.id),
            lambda: documents.declare(
                session, storage, msme=msme, product=None, data=body, base_url=base_url
            ),
        ),
    )
