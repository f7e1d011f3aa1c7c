"""Rate-limit counters in Redis: one Lua script per check (EVALSHA, loaded once), so the
check and the count are one atomic step across every process, with no lock and no
read-modify-write round trips.

Fails open: when Redis does not answer within `timeout_seconds` (or is down) the hit is
allowed, not enforced, and a warning is logged, so a Redis outage never refuses requests.
After a failure the limiter leaves Redis alone for `cooldown_seconds` (every hit is let
through at once, unlogged), so during an outage requests do not each wait for the timeout
once per budget, and the log gets one line per cooldown, not one per request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from hypehere.application.common.rate_limit import RateLimitDecision

logger = structlog.get_logger(__name__)

# KEYS[1] the counter; ARGV[1] the limit, ARGV[2] the window in ms.
# Returns {allowed (0/1), used, ms until the window ends}.
HIT_SCRIPT = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = 0
if used < limit then
  used = redis.call('INCR', KEYS[1])
  allowed = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
return {allowed, used, ttl}
"""


class RedisRateLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "hypehere:ratelimit:",
        timeout_seconds: float = 0.25,
        cooldown_seconds: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._prefix = prefix
        self._timeout = timeout_seconds
        self._cooldown = cooldown_seconds
        self._now = monotonic
        self._skip_until = 0.0
        self._script = redis.register_script(HIT_SCRIPT)

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitDecision:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("limit and window_seconds must be positive")
        unenforced = RateLimitDecision(
            allowed=True, used=0, limit=limit, reset_after=window_seconds, enforced=False
        )
        if self._now() < self._skip_until:
            return unenforced
        window_ms = max(1, int(window_seconds * 1000))
        try:
            async with asyncio.timeout(self._timeout):
                result: Any = await self._script(keys=[self._prefix + key], args=[limit, window_ms])
        except (RedisError, OSError, TimeoutError) as exc:
            self._skip_until = self._now() + self._cooldown
            logger.warning(
                "rate_limit_store_unavailable",
                error=type(exc).__name__,
                timeout_seconds=self._timeout,
                retry_in_seconds=self._cooldown,
            )
            return unenforced
        allowed, used, ttl_ms = (int(value) for value in result)
        return RateLimitDecision(
            allowed=bool(allowed), used=used, limit=limit, reset_after=ttl_ms / 1000
        )
