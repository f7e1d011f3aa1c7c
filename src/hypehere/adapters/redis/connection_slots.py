"""Connection slots in Redis, shared by every process: one sorted set per key whose members
are connection ids scored by lease expiry (epoch seconds from the clock). Taking a slot is
one Lua script (drop expired leases, count, add), so racing connections cannot overshoot
the cap."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.shared.clock import Clock

# KEYS[1] = slot set; ARGV = now, expiry, limit, connection id, key ttl (ms)
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""


class RedisConnectionSlots:
    def __init__(self, redis: Redis, clock: Clock, *, prefix: str = "hypehere:") -> None:
        self._redis = redis
        self._clock = clock
        self._prefix = prefix
        self._acquire: Any = redis.register_script(_ACQUIRE)

    def _key(self, key: str) -> str:
        return f"{self._prefix}slots:{key}"

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def acquire(self, key: str, connection_id: str, limit: int, ttl_seconds: float) -> bool:
        now = self._now()
        args = [now, now + ttl_seconds, limit, connection_id, max(1, int(ttl_seconds * 1000))]
        try:
            return bool(await self._acquire(keys=[self._key(key)], args=args))
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def refresh(self, key: str, connection_id: str, ttl_seconds: float) -> None:
        now = self._now()
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self._key(key), {connection_id: now + ttl_seconds}, xx=True)
                pipe.pexpire(self._key(key), max(1, int(ttl_seconds * 1000)))
                await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def release(self, key: str, connection_id: str) -> None:
        try:
            await self._redis.zrem(self._key(key), connection_id)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def count(self, key: str) -> int:
        try:
            return int(await self._redis.zcount(self._key(key), f"({self._now()}", "+inf"))
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
