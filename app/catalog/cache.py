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

While every process's writes are heard (`PageCache.heard`: PostgreSQL, its listening
connection up), a page is exact until a write drops it or the day changes, and it does
not age: the seconds bound only how long a change goes unseen where it may go unheard.
Rendering a broad search again every few seconds for nothing took the CPU that the
requests queued behind it waited for.

A page past its seconds is still answered for as many seconds more while one request's
worth of rendering refreshes it in the background (HTTP's stale-while-revalidate, RFC
5861): under load nobody waits for a page to be rendered again every few seconds (a broad
search's page takes tens of milliseconds, and every connection asking it queued behind
it). A dropped page is never answered again: only time-outs are served stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import clock

CATALOG = "catalog"  # the signal of a commit that changed what the catalog shows
PRODUCTS = "/api/v1/catalog/products"  # the list, and one product's page below it

Rendered = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body
Key = tuple[str, bytes, bytes, bytes, str, date]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendering:
    """A page being rendered: after which drop it began, and the future its waiters share."""

    generation: int
    key: Key
    future: asyncio.Future[Rendered]


class PageCache:
    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._pages: OrderedDict[Key, tuple[float, Rendered]] = OrderedDict()
        # Counts the drops: a page rendered from what a drop made old is not kept, and a
        # request made after a drop never waits for a rendering begun before it.
        self.generation = 0
        # Whether every change to the catalog, whichever process makes it, drops the pages
        # (app/catalog/invalidation.py): they are then kept until it does, not aged.
        self.heard = False

    def get(self, key: Key) -> tuple[Rendered, bool] | None:
        """The page and whether it is still fresh; None when there is none, or it is
        older than twice the cache's seconds."""
        found = self._pages.get(key)
        if found is None:
            return None
        if self.heard:
            return found[1], True
        late = time.monotonic() - found[0]
        if late > self.seconds:
            return None
        return found[1], late <= 0

    def put(self, key: Key, page: Rendered, generation: int) -> None:
        if generation != self.generation:
            return
        self._pages[key] = (time.monotonic() + self.seconds, page)
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()
        self.generation += 1


class CachedCatalog:
    """ASGI middleware: anonymous catalog GETs answered from the app's `PageCache`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._rendering: dict[tuple[int, Key], asyncio.Future[Rendered]] = {}
        self._refreshing: set[asyncio.Task[None]] = set()  # kept from the collector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache: PageCache | None = getattr(
            getattr(scope.get("app"), "state", None), "page_cache", None
        )
        if cache is None or cache.seconds <= 0 or not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        found = cache.get(key)
        if found is None:
            waiting = self._rendering.get((cache.generation, key))
            if waiting is not None:
                page = await asyncio.shield(waiting)
            else:
                page = await self._render(scope, receive, self._begin(cache, key), cache)
        else:
            page, fresh = found
            if not fresh and (cache.generation, key) not in self._rendering:
                # Registered now, before the task first runs: the requests in between
                # see it and start no other.
                begun = self._begin(cache, key)
                task = asyncio.create_task(self._refresh(dict(scope), begun, cache))
                self._refreshing.add(task)
                task.add_done_callback(self._refreshing.discard)
        await _send(send, page)

    def _begin(self, cache: PageCache, key: Key) -> Rendering:
        rendering = Rendering(cache.generation, key, asyncio.get_running_loop().create_future())
        self._rendering[(rendering.generation, key)] = rendering.future
        return rendering

    async def _refresh(self, scope: Scope, rendering: Rendering, cache: PageCache) -> None:
        """Render a page again for the cache, on behalf of a request already answered."""
        try:
            await self._render(scope, _no_body, rendering, cache)
        except Exception:  # the page ages out and the next request renders it
            logger.exception("refreshing a cached catalog page failed")

    async def _render(
        self, scope: Scope, receive: Receive, rendering: Rendering, cache: PageCache
    ) -> Rendered:
        future, key = rendering.future, rendering.key
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
                cache.put(key, page, rendering.generation)
            future.set_result(page)
            return page
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # read, so that an unawaited failure is not logged twice
            raise
        finally:
            del self._rendering[(rendering.generation, key)]

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


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(send: Send, page: Rendered) -> None:
    status, headers, body = page
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
