"""Abuse limits on one WebSocket connection: a token bucket per frame kind.

Each client frame is charged to the bucket of its `type` (`message`, `typing`, `read`, ...
as configured), or to the shared `*` bucket for every other type (pings, `auth`, admin
frames, malformed frames). A frame that finds its bucket empty is not handled: the client
gets `{"type": "error", "code": "rate_limited"}`. After `strikes` rejections in a row the
socket is closed with 1008 (policy violation).
"""

from __future__ import annotations

import time

import msgspec

OTHER_FRAMES = "*"


class FrameRateLimit(msgspec.Struct, frozen=True):
    """`per_second` tokens refill a bucket holding at most `burst` frames."""

    per_second: float
    burst: int


class TokenBucket:
    __slots__ = ("_burst", "_rate", "_tokens", "_updated")

    def __init__(self, limit: FrameRateLimit) -> None:
        self._rate = limit.per_second
        self._burst = float(limit.burst)
        self._tokens = float(limit.burst)
        self._updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class FrameLimiter:
    """The buckets of one connection. `limits` maps a frame type (or `*`) to its limit; a
    type with no entry and no `*` entry is not limited."""

    def __init__(self, limits: dict[str, FrameRateLimit], strikes: int) -> None:
        self._limits = limits
        self._buckets: dict[str, TokenBucket] = {}
        self._strikes = strikes
        self.rejected_in_a_row = 0

    def allow(self, kind: str) -> bool:
        key = kind if kind in self._limits else OTHER_FRAMES
        limit = self._limits.get(key)
        if limit is None:
            self.rejected_in_a_row = 0
            return True
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(limit)
        if bucket.take():
            self.rejected_in_a_row = 0
            return True
        self.rejected_in_a_row += 1
        return False

    @property
    def abusive(self) -> bool:
        """Rejected `strikes` times in a row: close the socket."""
        return self.rejected_in_a_row >= self._strikes
