from __future__ import annotations

import uuid

from fastapi import Response

from app.access.dependencies import OwnerUser
from app.core.deps import BaseUrlDep, SessionDep, StorageDep
from app.core.errors import responses
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.core.uploads import upload_out
from app.idempotency import IdempotencyDep
from app.media import service
from app.media.schemas import MediaCreate, MediaUploadOut
from app.products.access import get_readable_product
from app.products.schemas import MediaOut

router = make_router(tags=["media"])


@router.post(
    "/products/{product_id}/media",
    status_code=201,
    response_model=MediaUploadOut,
    responses=responses(401, 403, 404, 409, 413, 415, 422, 429, 503),
)
async def start_media(
    product_id: uuid.UUID,
    body: MediaCreate,
    owner: OwnerUser,
    session: SessionDep,
    storage: StorageDep,
    idem: IdempotencyDep,
    base_url: BaseUrlDep,
    limits: LimitsDep,
) -> MediaUploadOut | Response:
    """Start an image upload for a product

    Declare an image (JPEG, PNG or WebP, at most 10 MiB): returns the media record and
    the signed `upload` to send the file with (multipart POST of every `upload.fields`
    pair, then `file`). Upload starts per owner are limited (429). Honours `Idempotency-
    Key`; a replay does not count again.
    """
    if (replay := await idem.replay(session, owner.id)) is not None:
        return replay
    product = await get_readable_product(session, owner, product_id, full=False)
    await limits.hit("upload-owner", str(owner.id))
    media, ticket = await service.start_upload(session, storage, owner, product, body, base_url)
    out = MediaUploadOut(media=MediaOut.model_validate(media), upload=upload_out(ticket))
    await idem.remember(session, owner.id, 201, out)
    return out


@router.post(
    "/media/{media_id}/complete",
    response_model=MediaOut,
    responses=responses(401, 403, 404, 422, 503),
)
async def complete_media(
    media_id: uuid.UUID, owner: OwnerUser, session: SessionDep, storage: StorageDep
) -> MediaOut:
    """Confirm an image's upload

    The server checks the file's size and type (by its bytes) and marks the image
    uploaded. A file that does not match is deleted (422).
    """
    media = await service.get_readable_media(session, owner, media_id)
    return MediaOut.model_validate(await service.complete_upload(session, storage, owner, media))


@router.delete(
    "/media/{media_id}",
    status_code=204,
    responses=responses(401, 403, 404, 503),
    description="Delete an image and its stored object. The catalog stops showing it at once.",
)
async def delete_media(media_id: uuid.UUID, owner: OwnerUser, session: SessionDep) -> Response:
    """Delete a product image"""
    media = await service.get_readable_media(session, owner, media_id)
    await service.delete(session, owner, media)
    return Response(status_code=204)
