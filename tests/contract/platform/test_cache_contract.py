"""One contract for the Cache port, run against the in-process and the Redis adapters.

Expiry: the in-memory cache reads a FixedClock that the test advances; Redis expires keys on
its own clock (millisecond precision), so that adapter waits just past a 1-second TTL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.redis.cache import RedisCache
from hypehere.application.common.cache import Cache
from hypehere.application.common.errors import StorageUnavailableError


class CacheContract:
    @pytest.fixture
    async def cache(self) -> AsyncIterator[Cache]:
        raise NotImplementedError

    async def advance(self, seconds: float) -> None:
        raise NotImplementedError

    async def test_missing_key_is_none(self, cache: Cache) -> None:
        assert await cache.get("nope") is None

    async def test_set_get_overwrite_delete(self, cache: Cache) -> None:
        await cache.set("k", b"v1")
        assert await cache.get("k") == b"v1"
        await cache.set("k", b"v2")
        assert await cache.get("k") == b"v2"
        await cache.set("other", b"o")
        await cache.delete("k", "other", "never-set")
        assert await cache.get("k") is None
        assert await cache.get("other") is None
        await cache.delete()  # nothing to delete is fine

    async def test_binary_values(self, cache: Cache) -> None:
        await cache.set("bin", bytes(range(256)))
        assert await cache.get("bin") == bytes(range(256))

    async def test_get_many_keeps_the_order_and_marks_missing_keys(self, cache: Cache) -> None:
        await cache.set("a", b"1")
        await cache.set("c", b"3")
        assert await cache.get_many(["c", "b", "a", "c"]) == [b"3", None, b"1", b"3"]
        assert await cache.get_many([]) == []

    async def test_set_many_sets_every_key_with_one_expiry(self, cache: Cache) -> None:
        await cache.set("x", b"old")
        await cache.set_many({"x": b"new", "y": bytes(range(256))}, ttl_seconds=1)
        await cache.set_many({"z": b"kept"})
        await cache.set_many({})
        assert await cache.get_many(["x", "y", "z"]) == [b"new", bytes(range(256)), b"kept"]
        with pytest.raises(ValueError):
            await cache.set_many({"w": b"w"}, ttl_seconds=0)
        assert await cache.get("w") is None

        await self.advance(1.2)

        assert await cache.get_many(["x", "y", "z"]) == [None, None, b"kept"]

    async def test_incr_creates_and_adds(self, cache: Cache) -> None:
        assert await cache.incr("n") == 1
        assert await cache.incr("n") == 2
        assert await cache.incr("n", 5) == 7
        assert await cache.incr("n", -3) == 4
        assert await cache.get("n") == b"4"

    async def test_incr_on_a_non_integer_is_a_value_error(self, cache: Cache) -> None:
        await cache.set("text", b"hello")
        with pytest.raises(ValueError):
            await cache.incr("text")

    async def test_non_positive_ttl_is_rejected(self, cache: Cache) -> None:
        with pytest.raises(ValueError):
            await cache.set("k", b"v", ttl_seconds=0)
        with pytest.raises(ValueError):
            await cache.incr("k", ttl_seconds=-1)

    async def test_expiry(self, cache: Cache) -> None:
        await cache.set("short", b"s", ttl_seconds=1)
        await cache.set("long", b"l", ttl_seconds=3600)
        await cache.set("forever", b"f")
        assert await cache.incr("counter", ttl_seconds=1) == 1
        assert await cache.incr("counter", ttl_seconds=3600) == 2  # TTL set on create only
        await cache.set("cleared", b"c", ttl_seconds=1)
        await cache.set("cleared", b"c2")  # a plain set drops the old expiry
        assert await cache.get("short") == b"s"

        await self.advance(1.2)

        assert await cache.get("short") is None
        assert await cache.get("counter") is None
        assert await cache.get("long") == b"l"
        assert await cache.get("forever") == b"f"
        assert await cache.get("cleared") == b"c2"
        assert await cache.incr("counter", ttl_seconds=1) == 1  # starts afresh


class TestInMemoryCache(CacheContract):
    @pytest.fixture
    async def cache(self) -> AsyncIterator[Cache]:
        self.clock = FixedClock()
        yield InMemoryCache(self.clock)

    async def advance(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)

    async def test_bounded_size_evicts_oldest(self) -> None:
        cache = InMemoryCache(FixedClock(), max_entries=2)
        for key in ("a", "b", "c"):
            await cache.set(key, key.encode())
        assert [await cache.get(k) for k in ("a", "b", "c")] == [None, b"b", b"c"]


@pytest.mark.integration
class TestRedisCache(CacheContract):
    @pytest.fixture
    async def cache(self, redis_url: str) -> AsyncIterator[Cache]:
        client = aioredis.Redis.from_url(redis_url)
        prefix = f"test:{uuid.uuid4().hex}:"
        yield RedisCache(client, prefix=prefix)
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()

    async def advance(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def test_keys_carry_the_prefix(self, redis_url: str) -> None:
        client = aioredis.Redis.from_url(redis_url)
        prefix = f"test:{uuid.uuid4().hex}:"
        await RedisCache(client, prefix=prefix).set("k", b"v", ttl_seconds=60)
        assert await client.get(prefix + "k") == b"v"
        assert 0 < await client.ttl(prefix + "k") <= 60
        await client.delete(prefix + "k")
        await client.aclose()

    async def test_redis_down_is_storage_unavailable(self) -> None:
        client = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
        with pytest.raises(StorageUnavailableError):
            await RedisCache(client).get("k")
        await client.aclose()
