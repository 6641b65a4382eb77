"""Guards on JSON request bodies: a size limit (413) and the media type (415)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Routes whose bodies are forms, not JSON.
FORM_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/storage/uploads"})


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class JsonBodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or not scope["path"].startswith("/api/")
            or scope["path"] in FORM_PATHS
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._reject(
                scope, receive, send, 413, f"JSON bodies may be at most {self.max_bytes} bytes"
            )
            return
        has_body = chunked or (length is not None and length != "0")
        if has_body and not _is_json(headers.get("content-type", "")):
            await self._reject(scope, receive, send, 415, "Send the body as application/json")
            return
        if not chunked:
            await self.app(scope, receive, send)
            return
        # A chunked body has no declared length: read it here, within the limit.
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._reject(
                    scope, receive, send, 413, f"JSON bodies may be at most {self.max_bytes} bytes"
                )
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        titles = {
            413: ("Content Too Large", "too-large"),
            415: ("Unsupported Media Type", "unsupported-media-type"),
        }
        title, slug = titles[status]
        await problem_response(status, title, detail, slug)(scope, receive, send)
