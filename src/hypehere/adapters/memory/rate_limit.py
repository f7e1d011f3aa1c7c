"""In-process rate-limit counters (the embedded default: budgets are per process)."""

from __future__ import annotations

import time
from collections.abc import Callable

from hypehere.application.common.rate_limit import RateLimitDecision

SWEEP_EVERY = 1024  # hits between sweeps of expired windows (keeps memory bounded)


class InMemoryRateLimiter:
    """Check and count run without an await in between, so on one event loop they are atomic."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (used, window end)
        self._hits = 0

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitDecision:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("limit and window_seconds must be positive")
        now = self._now()
        self._hits += 1
        if self._hits % SWEEP_EVERY == 0:
            self._sweep(now)
        used, ends_at = self._windows.get(key, (0, 0.0))
        if ends_at <= now:
            used, ends_at = 0, now + window_seconds
        if used >= limit:
            return RateLimitDecision(
                allowed=False, used=used, limit=limit, reset_after=ends_at - now
            )
        used += 1
        self._windows[key] = (used, ends_at)
        return RateLimitDecision(allowed=True, used=used, limit=limit, reset_after=ends_at - now)

    def _sweep(self, now: float) -> None:
        for key in [k for k, (_, ends_at) in self._windows.items() if ends_at <= now]:
            del self._windows[key]
