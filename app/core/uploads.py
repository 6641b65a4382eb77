"""What every upload-starting call shares: declared file checks and the `upload` object."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.core.errors import PayloadTooLarge, UnsupportedMediaType, responses
from app.core.schemas import JsonInteger
from app.core.storage import UploadTicket

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# What an upload-starting call may answer besides 201.
UPLOAD_ERRORS = responses(401, 403, 404, 409, 413, 415, 422, 429, 503)

Filename = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^/\\\x00]+$")]
ContentType = Annotated[str, StringConstraints(min_length=3, max_length=100, to_lower=True)]
Size = Annotated[
    int, Field(ge=1, le=2**31 - 1, description="Exact size of the file in bytes"), JsonInteger
]


class UploadOut(BaseModel):
    """Send `multipart/form-data` to `url` with every pair of `fields`, then the file as `file`."""

    url: str
    method: str = "POST"
    fields: dict[str, str]
    expires_at: datetime


def upload_out(ticket: UploadTicket) -> UploadOut:
    expires = datetime.now(UTC).timestamp() + ticket.expires_in
    return UploadOut(
        url=ticket.url,
        method=ticket.method,
        fields=ticket.fields,
        expires_at=datetime.fromtimestamp(int(expires), UTC),
    )


def check_declared(content_type: str, size: int, allowed: tuple[str, ...], max_bytes: int) -> None:
    if content_type not in allowed:
        raise UnsupportedMediaType(f"Accepted types: {', '.join(allowed)}")
    if size > max_bytes:
        raise PayloadTooLarge(f"Files may be at most {max_bytes} bytes")
