"""A per-process limit on failed logins for one email, so passwords cannot be guessed fast."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, attempts_per_minute: int) -> None:
        self.limit = attempts_per_minute
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque[float]:
        window = self._failures[key]
        while window and window[0] < now - 60:
            window.popleft()
        return window

    def blocked_for(self, key: str) -> int:
        """Seconds until `key` may try again (0: now)."""
        now = time.monotonic()
        window = self._recent(key, now)
        if len(window) < self.limit:
            return 0
        return max(1, int(window[0] + 60 - now) + 1)

    def failed(self, key: str) -> None:
        self._failures[key].append(time.monotonic())

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
