"""Abuse limits (OWASP API4, API6): how often one account or one address may do a thing.

The counters live in Redis when `KURASI_REDIS_URL` is set, so every worker and replica
shares them; in this process's memory otherwise. Each limit is a setting in the `limits`
notation ("10/minute"). A request over a limit answers 429 with `Retry-After` and the
IETF draft headers `RateLimit-Policy` and `RateLimit`, before it wrote anything.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from app.config import Settings
from app.core.errors import TooManyRequests

logger = logging.getLogger("kurasi")
T = TypeVar("T")

# Each limit's name (as the headers show it) and the setting that sets it.
POLICIES = {
    "login-account": "login_limit_per_account",
    "login-address": "login_limit_per_address",
    "register-address": "registration_limit_per_address",
    "inquiry-buyer": "inquiry_limit_per_buyer",
    "submit-owner": "submission_limit_per_owner",
    "upload-owner": "upload_limit_per_owner",
}


def create_storage(settings: Settings) -> Storage:
    if settings.redis_url is None:
        return MemoryStorage()
    # Short timeouts: a Redis that does not answer must not hold requests up.
    return RedisStorage(
        "async+" + settings.redis_url,
        implementation="redispy",
        key_prefix=settings.rate_limit_prefix,
        wrap_exceptions=True,
        socket_timeout=1.0,
        socket_connect_timeout=1.0,
    )


@dataclass
class Limits:
    """The app's limits (one on `app.state.limits`), counted in `storage`."""

    storage: Storage
    items: dict[str, RateLimitItem]

    def __post_init__(self) -> None:
        # A moving window: no burst of twice the quota across a window's edge.
        self.limiter = MovingWindowRateLimiter(self.storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        items = {name: parse(getattr(settings, field)) for name, field in POLICIES.items()}
        return cls(create_storage(settings), items)

    async def hit(self, name: str, key: str) -> None:
        """Count one `name` for `key`, or raise 429 when the limit is reached already."""
        item, limiter = self.items[name], self.limiter
        if len(key) > 100:  # whatever a client typed as its email: keys stay short
            key = hashlib.sha256(key.encode(errors="surrogatepass")).hexdigest()
        try:
            if await limiter.hit(item, name, key):
                return
            stats = await limiter.get_window_stats(item, name, key)
        except StorageError:
            # Fail open: an unreachable counter store must not take the API down with it.
            logger.warning("rate limit storage unavailable; %s not counted", name)
            return
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            f"Too many requests ({item.amount} per {_window(item)}); try again in {wait} s.",
            headers={
                "Retry-After": str(wait),
                "RateLimit-Policy": f'"{name}";q={item.amount};w={item.get_expiry()}',
                "RateLimit": f'"{name}";r={stats.remaining};t={wait}',
            },
        )

    def counting(
        self, name: str, key: str, create: Callable[[], Awaitable[T]]
    ) -> Callable[[], Awaitable[T]]:
        """`create`, counted against `name` first (for `Idempotency.run`: replays are not)."""

        async def counted() -> T:
            await self.hit(name, key)
            return await create()

        return counted

    async def reset(self) -> None:
        """Forget every counter (tests; under Redis, only the keys of our prefix)."""
        await self.storage.reset()


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def client_address(request: Request) -> str:
    # Behind a proxy, run uvicorn with --proxy-headers so this is the client's address.
    return request.client.host if request.client else "unknown"


async def get_limits(request: Request) -> Limits:
    limits: Limits = request.app.state.limits
    return limits


LimitsDep = Annotated[Limits, Depends(get_limits)]
