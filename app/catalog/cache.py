"""Rendered catalog responses, kept for a few seconds (`KURASI_CATALOG_CACHE_SECONDS`).

The same first page asked by many buyers at once is rendered once a moment rather than
once a request. A commit that changes what the catalog shows raises the signal CATALOG
(app/core/db.py) and the app drops every page at once, so a server's own writes show on
its very next request; writes made elsewhere (another server process, the worker) show
within the cache's seconds. Pages are keyed by the day too: what lapses by time leaves at
midnight as it does uncached. 0 seconds turns it off (the tests' setting).
"""

from __future__ import annotations

import time
from collections import OrderedDict

from fastapi import Request

from app.core import clock

CATALOG = "catalog"  # the signal of a commit that changed what the catalog shows


class PageCache:
    def __init__(self, seconds: float, size: int = 1024) -> None:
        self.seconds = seconds
        self.size = size
        self._pages: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    @staticmethod
    def key(request: Request, lang: str, base_url: str) -> str:
        """What a page depends on: its path and query, the language, the base of its
        links, and the day."""
        query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
        return f"{request.url.path}?{query}|{lang}|{base_url}|{clock.today()}"

    def get(self, key: str) -> bytes | None:
        found = self._pages.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: str, body: bytes) -> None:
        if self.seconds <= 0:
            return
        self._pages[key] = (time.monotonic() + self.seconds, body)
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()
