"""Presence in Redis, shared by every process: one sorted set per user whose members are
connection ids scored by lease expiry (epoch seconds from the clock). A crashed process's
connections stop counting when their score passes; the key itself expires after the lease."""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.shared.clock import Clock


class RedisPresence:
    def __init__(self, redis: Redis, clock: Clock, *, prefix: str = "hypehere:") -> None:
        self._redis = redis
        self._clock = clock
        self._prefix = prefix

    def _key(self, user_id: str) -> str:
        return f"{self._prefix}presence:{user_id}"

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def connect(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        key = self._key(user_id)
        now = self._now()
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(key, "-inf", now)
                pipe.zadd(key, {connection_id: now + ttl_seconds})
                pipe.pexpire(key, max(1, int(ttl_seconds * 1000)))
                await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def refresh(self, user_id: str, connection_id: str, ttl_seconds: float) -> None:
        await self.connect(user_id, connection_id, ttl_seconds)

    async def disconnect(self, user_id: str, connection_id: str) -> None:
        try:
            await self._redis.zrem(self._key(user_id), connection_id)
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc

    async def is_online(self, user_id: str) -> bool:
        return user_id in await self.online([user_id])

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(user_ids))
        if not ids:
            return set()
        now = self._now()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in ids:
                    pipe.zcount(self._key(user_id), f"({now}", "+inf")
                counts = await pipe.execute()
        except RedisError as exc:
            raise StorageUnavailableError("Redis is unavailable.") from exc
        return {user_id for user_id, count in zip(ids, counts, strict=True) if int(count) > 0}
