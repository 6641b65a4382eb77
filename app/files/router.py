"""The local storage backend's own endpoints: signed uploads and signed downloads.

They exist only for `KURASI_STORAGE=local`; with S3 the client talks to the bucket.
The signed form fields and query parameters authorize the call, not a bearer token.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Annotated

import anyio
from fastapi import Query, Request, Response
from fastapi.responses import FileResponse
from starlette.datastructures import UploadFile

from app.core.deps import StorageDep
from app.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
    responses,
)
from app.core.routing import router as make_router
from app.core.storage import InvalidUpload, LocalStorage, sniff_content_type
from app.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES

router = make_router(prefix="/storage", tags=["storage"])

# The largest file Kurasi takes (documents, 20 MiB) plus room for the form fields.
MAX_UPLOAD_BODY = 20 * 1024 * 1024 + 64 * 1024


# The form is read by hand (its fields are the signed ones `upload.fields` gave), so it
# is documented here.
UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["key", "Content-Type", "policy", "signature", "file"],
                "properties": {
                    "key": {"type": "string", "description": "From `upload.fields`"},
                    "Content-Type": {"type": "string", "description": "From `upload.fields`"},
                    "policy": {"type": "string", "description": "From `upload.fields`"},
                    "signature": {"type": "string", "description": "From `upload.fields`"},
                    "file": {"type": "string", "format": "binary", "description": "The file"},
                },
            },
            "example": {
                "key": "uploads/…/halal-certificate.pdf",
                "Content-Type": "application/pdf",
                "policy": "…",
                "signature": "…",
                "file": "(the file's bytes)",
            },
        }
    },
}


def _local(storage: StorageDep) -> LocalStorage:
    if not isinstance(storage, LocalStorage):
        raise NotFound("This server does not take uploads itself.")
    return storage


@router.post(
    "/uploads",
    status_code=204,
    openapi_extra={"requestBody": UPLOAD_FORM},
    responses=responses(400, 403, 404, 409, 413, 415, 422),
)
async def upload_file(request: Request, storage: StorageDep) -> Response:
    """Receive a file for a signed upload (local storage backend)

    The target of `upload.url` when the server stores files itself. The signed form
    fields authorize the call, not a bearer token.
    """
    local = _local(storage)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise BadRequest("Content-Length is required")
    if int(length) > MAX_UPLOAD_BODY:
        raise PayloadTooLarge("The upload is larger than any file Kurasi accepts")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise UnsupportedMediaType("Send the upload as multipart/form-data")
    async with request.form(max_files=1, max_fields=20) as form:
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        file = form.get("file")
        try:
            policy = local.check_upload(fields)
        except InvalidUpload as exc:
            raise Forbidden(str(exc)) from exc
        if fields.get("Content-Type") != policy.content_type:
            raise UnsupportedMediaType(f"This upload takes only {policy.content_type}")
        if not isinstance(file, UploadFile):
            raise Unprocessable(
                "The form has no file", errors=[{"loc": ["body", "file"], "msg": "required"}]
            )
        if file.size is None or file.size > policy.max_size:
            raise PayloadTooLarge(f"The file is larger than the declared {policy.max_size} bytes")
        if await local.head(policy.key) is not None:
            # Write-once: a completed (checked) file cannot be swapped under its record.
            raise Conflict("This upload has been received already; start a new one")
        await anyio.to_thread.run_sync(_store, local, policy.key, file)
    return Response(status_code=204)


def _store(local: LocalStorage, key: str, file: UploadFile) -> None:
    target = local.path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        file.file.seek(0)
        shutil.copyfileobj(file.file, tmp)
    local.write_from(key, tmp.name)


@router.get(
    "/files/{key:path}",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file, with the type its bytes show",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in sorted({*DOCUMENT_TYPES, *IMAGE_TYPES, "application/octet-stream"})
            },
        },
        **responses(403, 404),
    },
)
async def download_file(
    key: str,
    storage: StorageDep,
    expires: Annotated[int, Query(ge=0, le=2**53)],
    signature: Annotated[str, Query(pattern=r"^[0-9a-f]{64}$")],
) -> FileResponse:
    """Fetch a file through a signed download URL (local storage backend)"""
    local = _local(storage)
    if not local.check_download(key, expires, signature):
        raise Forbidden("The download URL is not valid or has expired")
    if await local.head(key) is None:
        raise NotFound("No such file")
    media_type = sniff_content_type(await local.read_prefix(key)) or "application/octet-stream"
    return FileResponse(local.path(key), media_type=media_type)
