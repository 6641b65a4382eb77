"""One file of a `multipart/form-data` request, read within a size limit: the body is
parsed as it streams in and the reading stops at the limit, so an oversized or endless
upload never fills memory or disk."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.core.errors import BadRequest, KurasiError, UnsupportedMediaType

# Room for the form's boundaries, part headers and a few small fields beside the file.
FORM_OVERHEAD = 64 * 1024


class _Over(Exception):
    """The body went past the limit."""


async def read_file_field(
    request: Request, name: str, max_bytes: int, too_large: Callable[[], KurasiError]
) -> bytes | None:
    """The bytes of the form's field `name` (a file part, or a plain field holding the
    text), at most `max_bytes`, or None when the form has no such field. `too_large()`
    is raised beyond the limit, 415 for a body that is not a multipart form, 400 for a
    broken one."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";", 1)[0].strip().lower() != "multipart/form-data":
        raise UnsupportedMediaType(f"Send the file as multipart/form-data in the field `{name}`")
    limit = max_bytes + FORM_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large()

    async def within_limit() -> AsyncGenerator[bytes, None]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _Over
            yield chunk

    parser = MultiPartParser(
        request.headers, within_limit(), max_files=1, max_fields=10, max_part_size=max_bytes + 1
    )
    try:
        form = await parser.parse()
    except _Over:
        raise too_large() from None
    except MultiPartException as exc:
        raise BadRequest(f"The multipart form cannot be read: {exc.message}") from None
    try:
        value = form.get(name)
        if isinstance(value, UploadFile):
            if value.size is not None and value.size > max_bytes:
                raise too_large()
            return await value.read()
        if isinstance(value, str):
            data = value.encode()
            if len(data) > max_bytes:
                raise too_large()
            return data
        return None
    finally:
        await form.close()
