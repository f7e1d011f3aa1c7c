"""Redis cache: plain keys under a prefix, expiry by Redis itself."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from hypehere.application.common.errors import StorageUnavailableError


@asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    try:
        yield
    except ResponseError as exc:  # e.g. INCR on a non-integer: a programming error
        raise ValueError(str(exc)) from exc
    except RedisError as exc:
        raise StorageUnavailableError("Redis is unavailable.") from exc


class RedisCache:
    def __init__(self, redis: Redis, prefix: str = "hypehere:cache:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def get(self, key: str) -> bytes | None:
        async with _translated():
            value = await self._redis.get(self._prefix + key)
        if value is None:
            return None
        return value if isinstance(value, bytes) else str(value).encode()

    async def set(self, key: str, value: bytes, ttl_seconds: int | None = None) -> None:
        if ttl_seconds is not None and ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        async with _translated():
            await self._redis.set(self._prefix + key, value, ex=ttl_seconds)

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        async with _translated():
            values = await self._redis.mget([self._prefix + key for key in keys])
        return [v if v is None or isinstance(v, bytes) else str(v).encode() for v in values]

    async def set_many(self, items: Mapping[str, bytes], ttl_seconds: int | None = None) -> None:
        if ttl_seconds is not None and ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        if not items:
            return
        async with _translated(), self._redis.pipeline(transaction=False) as pipe:
            for key, value in items.items():
                pipe.set(self._prefix + key, value, ex=ttl_seconds)
            await pipe.execute()

    async def delete(self, *keys: str) -> None:
        if not keys:
            return
        async with _translated():
            await self._redis.delete(*(self._prefix + key for key in keys))

    async def incr(self, key: str, amount: int = 1, ttl_seconds: int | None = None) -> int:
        if ttl_seconds is not None and ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        name = self._prefix + key
        async with _translated():
            if ttl_seconds is None:
                return int(await self._redis.incrby(name, amount))
            # One transaction: create with the TTL if absent (NX), then add.
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(name, 0, ex=ttl_seconds, nx=True)
                pipe.incrby(name, amount)
                _, value = await pipe.execute()
            return int(value)
