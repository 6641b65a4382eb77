"""Security headers on every response (OWASP secure headers), as pure ASGI middleware.

JSON answers are never a page: their policy forbids loading or framing anything. Kurasi's
own pages set theirs (`page_policy`). The HTML pages of FastAPI (/docs, /redoc) get a
policy allowing exactly what they load: their scripts and styles from jsDelivr, Redoc's
fonts from Google Fonts, the favicon, the inline script of Swagger UI by its hash, and
requests to this API.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
HTML_POLICY = {
    "default-src": "'none'",
    "script-src": "https://cdn.jsdelivr.net",
    # Both UIs set inline styles at run time.
    "style-src": "https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'",
    "font-src": "https://fonts.gstatic.com",
    "img-src": "'self' data: https://fastapi.tiangolo.com",
    "connect-src": "'self'",
    "worker-src": "blob:",  # Redoc's search index
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
}
# Kurasi's own pages (the public product page): no script at all, their one inline
# stylesheet by its hash, images from here, from https hosts and from the hosts given.
PAGE_POLICY = {
    "default-src": "'none'",
    "img-src": "'self' https:",
    "style-src": "",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
}
HSTS = "max-age=31536000; includeSubDomains"
# The same, as raw ASGI headers.
_COMMON = [(name.lower().encode(), value.encode()) for name, value in COMMON.items()]
_HSTS = (b"strict-transport-security", HSTS.encode())
_API_POLICY = (b"content-security-policy", API_POLICY.encode())
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def html_policy(body: bytes) -> str:
    """The page's policy: HTML_POLICY, with the hash of each of its inline scripts."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(body)
    ]
    policy = dict(HTML_POLICY, **{"script-src": " ".join([HTML_POLICY["script-src"], *hashes])})
    return "; ".join(f"{name} {sources}" for name, sources in policy.items())


def page_policy(style_hash: str, image_origins: Iterable[str] = ()) -> str:
    """The policy of one of Kurasi's own pages, which a page response sets itself."""
    images = " ".join([PAGE_POLICY["img-src"], *sorted(image_origins)])
    policy = dict(PAGE_POLICY, **{"img-src": images, "style-src": style_hash})
    return "; ".join(f"{name} {sources}" for name, sources in policy.items())


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # HSTS only over https (uvicorn sets the scheme from X-Forwarded-Proto when it
        # trusts the proxy): over plain http a browser ignores it anyway.
        secure = scope.get("scheme") == "https"
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # Appended to a new list: the one sent may be shared (a cached page's).
                sent = message.get("headers", ())
                names = {name for name, _ in sent}
                added = [header for header in _COMMON if header[0] not in names]
                if secure and _HSTS[0] not in names:
                    added.append(_HSTS)
                content_type = next((v for n, v in sent if n == b"content-type"), b"")
                page = content_type.startswith(b"text/html")
                if not page and _API_POLICY[0] not in names:
                    added.append(_API_POLICY)
                message["headers"] = [*sent, *added]
                if not page:
                    await send(message)
                    return
                start = message  # a page: its policy needs its body (small) first
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            content = b"".join(body)
            MutableHeaders(scope=start).setdefault("Content-Security-Policy", html_policy(content))
            await send(start)
            await send({"type": "http.response.body", "body": content})

        await self.app(scope, receive, send_with_headers)


class ProblemCORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered as problem+json like any error."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        headers = {k: v for k, v in response.headers.items() if k.startswith("access-control")}
        detail = bytes(response.body).decode()  # "Disallowed CORS origin, method, ..."
        return problem_response(400, "Bad Request", detail, "bad-request", headers=headers)
