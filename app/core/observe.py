"""Every request: an `X-Request-ID`, one JSON log line, and the request metrics.

The outermost middleware, so that error responses and 500s are counted, logged and
carry the id as well. Routes are named by their template (`/api/v1/products/{product_id}`),
never by the raw path, so that metrics' labels stay few; a path no route matches is
`unmatched` (the template is found before routing, app/core/methods.py, so that pages
answered from a cache or refused by a guard are named too). The log line holds no query
string (tokens travel there) and no header.
"""

from __future__ import annotations

import logging
import random
import re
import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logs import request_id
from app.core.methods import TEMPLATE

REQUEST_ID = "X-Request-ID"
_REQUEST_ID = REQUEST_ID.lower().encode("latin-1")
# A client's own id is kept when it is a short HTTP token (RFC 9110 tchar): nothing that
# could forge a log line or a header.
_SANE = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")
UNMATCHED = "unmatched"
logger = logging.getLogger("kurasi.access")


class RequestMetrics:
    """The request metrics of one app, in a registry of its own (not the global one,
    which would refuse a second app in the same process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "kurasi_http_requests", "HTTP requests answered", labels, registry=self.registry
        )
        self.latency = Histogram(
            "kurasi_http_request_duration_seconds",
            "Time to answer an HTTP request",
            labels,
            registry=self.registry,
        )
        # The children of each label set, found once: `labels()` converts, checks and
        # locks on every call.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            labels = (method, route, str(status))
            children = (self.requests.labels(*labels), self.latency.labels(*labels))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


def incoming_id(scope: Scope) -> str:
    """The client's request id when it is sane, else a new one."""
    for name, value in scope["headers"]:
        if name == _REQUEST_ID:
            sent: str = value.decode("latin-1")
            if _SANE.fullmatch(sent):
                return sent
            break
    # 32 hex digits, as uuid4().hex: an id, not a secret, so without a system call.
    return f"{random.getrandbits(128):032x}"


def _access_line(method: str, route: str, status: int, seconds: float, rid: str) -> None:
    """The request's log line, made without looking up its caller's frame (always here)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    extra = {
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "request_id": rid,
    }
    record = logger.makeRecord(
        logger.name, logging.INFO, __file__, 0, "request", (), None, "__call__", extra
    )
    logger.handle(record)


class Observe:
    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = incoming_id(scope)
        token = request_id.set(rid)
        status = 500  # unless the app answers
        started = time.perf_counter()

        header = (_REQUEST_ID, rid.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: the one sent may be shared (a cached page's headers).
                headers = message.get("headers", ())
                message["headers"] = [
                    *(h for h in headers if h[0].lower() != _REQUEST_ID),
                    header,
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = scope.get(TEMPLATE, UNMATCHED)  # found by the MethodGuard
            method = scope["method"]
            self.metrics.observe(method, route, status, seconds)
            _access_line(method, route, status, seconds, rid)
            request_id.reset(token)
