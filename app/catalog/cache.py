"""Anonymous catalog pages, kept for a few seconds (`KURASI_CATALOG_CACHE_SECONDS`).

Many buyers ask the same first page at once: it is rendered once a moment rather than
once a request. `CachedCatalog` answers anonymous GETs of the catalog's pages from the
cache before any routing, and renders a page once however many ask for it at the same
time (the others wait for that rendering). A commit that changes what the catalog shows
raises the signal CATALOG (app/core/db.py) and the app drops every page at once, so a
server's own writes show on its very next request; on PostgreSQL so do writes made
elsewhere (another server process, the worker: app/catalog/invalidation.py), on SQLite
they show within the cache's seconds. Pages are keyed by the day too:
what lapses by time leaves at midnight as it does uncached. A request with an
`Authorization` header is never answered from the cache (its token must be checked),
and 0 seconds turns the cache off (the tests' setting).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import clock

CATALOG = "catalog"  # the signal of a commit that changed what the catalog shows
PRODUCTS = "/api/v1/catalog/products"  # the list, and one product's page below it

Rendered = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body
Key = tuple[str, bytes, bytes, bytes, str, date]


class PageCache:
    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._pages: OrderedDict[Key, tuple[float, Rendered]] = OrderedDict()

    def get(self, key: Key) -> Rendered | None:
        found = self._pages.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: Key, page: Rendered) -> None:
        self._pages[key] = (time.monotonic() + self.seconds, page)
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()


class CachedCatalog:
    """ASGI middleware: anonymous catalog GETs answered from the app's `PageCache`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._rendering: dict[Key, asyncio.Future[Rendered]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache: PageCache | None = getattr(
            getattr(scope.get("app"), "state", None), "page_cache", None
        )
        if cache is None or cache.seconds <= 0 or not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        page = cache.get(key)
        if page is None:
            if key in self._rendering:
                page = await asyncio.shield(self._rendering[key])
            else:
                page = await self._render(scope, receive, key, cache)
        await _send(send, page)

    async def _render(self, scope: Scope, receive: Receive, key: Key, cache: PageCache) -> Rendered:
        future: asyncio.Future[Rendered] = asyncio.get_running_loop().create_future()
        self._rendering[key] = future
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        try:
            await self.app(scope, receive, keep)
            start = next(m for m in messages if m["type"] == "http.response.start")
            body = b"".join(
                m.get("body", b"") for m in messages if m["type"] == "http.response.body"
            )
            page: Rendered = (start["status"], list(start.get("headers", [])), body)
            if page[0] == 200:
                cache.put(key, page)
            future.set_result(page)
            return page
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # read, so that an unawaited failure is not logged twice
            raise
        finally:
            del self._rendering[key]

    @staticmethod
    def _cacheable(scope: Scope) -> bool:
        """An anonymous GET of the catalog's list, or of one of its products."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path = scope["path"]
        if path != PRODUCTS and not (path.startswith(PRODUCTS + "/") and path.count("/") == 5):
            return False
        return all(name != b"authorization" for name, _ in scope["headers"])

    @staticmethod
    def _key(scope: Scope) -> Key:
        """What a page depends on: path and query, language asked, the host its links
        name, and the day."""
        language = host = b""
        for name, value in scope["headers"]:
            if name == b"accept-language":
                language = value
            elif name == b"host":
                host = value
        return (
            scope["path"],
            scope.get("query_string", b""),
            language,
            host,
            scope.get("scheme", "http"),
            clock.today(),
        )


async def _send(send: Send, page: Rendered) -> None:
    status, headers, body = page
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
