"""The rate-limit counter port: fixed windows that start at a key's first counted hit (the
semantics of Litestar's `RateLimitMiddleware`), checked and counted in one atomic step.

Redis in production (one script call per check, shared by every process), a dict when
embedded. An adapter that cannot reach its store fails open: the hit is allowed and the
decision says it was not enforced, so a counter outage never turns into refused requests.
"""

from __future__ import annotations

from typing import Protocol

import msgspec


class RateLimitDecision(msgspec.Struct, frozen=True):
    allowed: bool
    used: int  # hits counted in the current window (this one included when allowed)
    limit: int
    reset_after: float  # seconds until the window ends and the budget is whole again
    enforced: bool = True  # False: the store was unavailable and the hit was let through

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def retry_after(self) -> int:
        """Whole seconds a refused client should wait (at least 1)."""
        return max(1, int(-(-self.reset_after // 1)))


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitDecision:
        """Count one hit on `key` unless its window already holds `limit` hits (then refuse
        without counting). Atomic: concurrent hits never let more than `limit` through."""
        ...
