from __future__ import annotations

import uuid

from fastapi import Response
from fastapi.responses import RedirectResponse

from app.access.dependencies import OwnerUser, StaffUser, WorkspaceUser
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep, StorageDep
from app.core.errors import Conflict, responses
from app.core.routing import router as make_router
from app.documents import service
from app.documents.schemas import DocumentOut, DocumentVerify
from app.models.enums import DocumentStatus

router = make_router(tags=["documents"])


@router.get(
    "/documents/{document_id}", response_model=DocumentOut, responses=responses(401, 403, 404)
)
async def get_document(
    document_id: uuid.UUID, user: WorkspaceUser, session: SessionDep
) -> DocumentOut:
    """One document (metadata; the file through /download)"""
    return DocumentOut.model_validate(
        await service.get_readable_document(session, user, document_id)
    )


@router.post(
    "/documents/{document_id}/complete",
    response_model=DocumentOut,
    responses=responses(401, 403, 404, 422, 503),
)
async def complete_document(
    document_id: uuid.UUID, owner: OwnerUser, session: SessionDep, storage: StorageDep
) -> DocumentOut:
    """Confirm a document's upload

    The server checks that the file arrived with the declared size and type, then marks
    the document `uploaded` for a curator to verify. A file that does not match is
    deleted (422).
    """
    document = await service.get_readable_document(session, owner, document_id)
    return DocumentOut.model_validate(await service.complete_upload(session, storage, document))


@router.get(
    "/documents/{document_id}/download",
    status_code=307,
    response_class=RedirectResponse,
    responses={**responses(401, 403, 404, 409, 503), 307: {"description": "To a short-lived URL"}},
)
async def download_document(
    document_id: uuid.UUID,
    user: WorkspaceUser,
    session: SessionDep,
    storage: StorageDep,
    base_url: BaseUrlDep,
) -> RedirectResponse:
    """Download a document's file

    Redirects (307) to a short-lived signed URL.
    """
    document = await service.get_readable_document(session, user, document_id)
    if document.status == DocumentStatus.pending_upload:
        raise Conflict("The document's file has not been uploaded yet")
    url = await storage.download_url(
        document.storage_key, base_url=base_url, filename=document.filename
    )
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})


@router.post(
    "/documents/{document_id}/verify",
    response_model=DocumentOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def verify_document(
    document_id: uuid.UUID,
    body: DocumentVerify,
    curator: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
) -> DocumentOut:
    """Verify or reject a document (curator)"""
    document = await service.get_readable_document(session, curator, document_id)
    document = await service.verify(session, settings, document, curator, body)
    return DocumentOut.model_validate(document)


@router.delete(
    "/documents/{document_id}",
    status_code=204,
    responses=responses(401, 403, 404, 503),
    description="Delete a document and its stored file. A listing that needed it as a "
    "required certificate leaves the catalog.",
)
async def delete_document(
    document_id: uuid.UUID,
    owner: OwnerUser,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Delete a document and its stored file"""
    document = await service.get_readable_document(session, owner, document_id)
    await service.delete(session, settings, document)
    return Response(status_code=204)
