"""Guards before routing: a size limit on JSON bodies (413), their media type (415), their
encoding (400: JSON is UTF-8, RFC 8259 §8.1), and what no request may carry
(app/core/json_guard.py: 422)."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import (
    BadRequest,
    KurasiError,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
    error_response,
)
from app.core.json_guard import Refused, check_body, check_form, check_query

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Routes whose bodies are forms, not JSON.
FORM_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/storage/uploads"})
# ... and those with a path parameter: the bulk import's file upload.
FORM_PATH_PATTERNS = (re.compile(r"/api/v1/msmes/[^/]+/imports"),)


def _takes_form(path: str) -> bool:
    return path in FORM_PATHS or any(p.fullmatch(path) for p in FORM_PATH_PATTERNS)


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(content_type: str) -> bool:
    media_type = _media_type(content_type)
    return media_type == "application/json" or media_type.endswith("+json")


class JsonBodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        try:
            if "\x00" in scope["path"]:
                raise Refused(["path"], "may not hold NUL characters")
            check_query(scope.get("query_string", b""))
        except Refused as refused:
            await self._refuse(scope, receive, send, refused)
            return
        if scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if _takes_form(scope["path"]):
            await self._form(scope, receive, send, headers)
            return
        length = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        has_body = chunked or (length is not None and length != "0")
        if has_body and not _is_json(headers.get("content-type", "")):
            error = UnsupportedMediaType("Send the body as application/json")
            await _answer(scope, receive, send, error)
            return
        body = await self._read(scope, receive, send)
        if body is None:
            return
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            await _answer(scope, receive, send, BadRequest("Send JSON bodies encoded as UTF-8"))
            return
        try:
            check_body(body)
        except Refused as refused:
            await self._refuse(scope, receive, send, refused)
            return
        await self._replay(scope, receive, send, body)

    async def _form(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        """A url-encoded form (the login) is looked at like a query string; multipart
        uploads go to their route, which reads them within its own limit."""
        if _media_type(headers.get("content-type", "")) != "application/x-www-form-urlencoded":
            await self.app(scope, receive, send)
            return
        body = await self._read(scope, receive, send)
        if body is None:
            return
        try:
            check_form(body)
        except Refused as refused:
            await self._refuse(scope, receive, send, refused)
            return
        await self._replay(scope, receive, send, body)

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The body, read within the limit (a chunked body declares no length); None
        once a 413 has been sent."""
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return None
        return body

    async def _replay(self, scope: Scope, receive: Receive, send: Send, body: bytes) -> None:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"JSON bodies may be at most {self.max_bytes} bytes"
        await _answer(scope, receive, send, PayloadTooLarge(detail))

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, refused: Refused) -> None:
        errors = [{"loc": refused.loc, "msg": refused.msg}]
        await _answer(scope, receive, send, Unprocessable(refused.msg, errors=errors))


async def _answer(scope: Scope, receive: Receive, send: Send, error: KurasiError) -> None:
    await error_response(error)(scope, receive, send)
