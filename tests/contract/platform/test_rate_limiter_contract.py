"""One contract for the RateLimiter port, run against the in-process and the Redis adapters.

Windows: the in-memory limiter reads a monotonic clock the test advances; Redis expires
counters on its own clock, so that adapter waits just past a short window."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from structlog.testing import capture_logs

from hypehere.adapters.memory.rate_limit import InMemoryRateLimiter
from hypehere.adapters.redis.rate_limit import RedisRateLimiter
from hypehere.application.common.rate_limit import RateLimiter

WINDOW = 0.3  # seconds: short enough for Redis to expire within a test


class RateLimiterContract:
    @pytest.fixture
    async def limiter(self) -> AsyncIterator[RateLimiter]:
        raise NotImplementedError

    async def advance(self, seconds: float) -> None:
        raise NotImplementedError

    async def test_allows_up_to_the_limit_then_refuses_without_counting(
        self, limiter: RateLimiter
    ) -> None:
        decisions = [await limiter.hit("k", 3, 60) for _ in range(5)]
        assert [d.allowed for d in decisions] == [True, True, True, False, False]
        assert [d.used for d in decisions] == [1, 2, 3, 3, 3]
        assert [d.remaining for d in decisions] == [2, 1, 0, 0, 0]
        assert all(d.enforced and d.limit == 3 for d in decisions)
        refused = decisions[-1]
        assert 0 < refused.reset_after <= 60
        assert 1 <= refused.retry_after <= 60

    async def test_keys_are_independent(self, limiter: RateLimiter) -> None:
        assert (await limiter.hit("a", 1, 60)).allowed
        assert not (await limiter.hit("a", 1, 60)).allowed
        assert (await limiter.hit("b", 1, 60)).allowed

    async def test_the_window_starts_at_the_first_hit_and_resets(
        self, limiter: RateLimiter
    ) -> None:
        assert (await limiter.hit("w", 2, WINDOW)).allowed
        assert (await limiter.hit("w", 2, WINDOW)).allowed
        refused = await limiter.hit("w", 2, WINDOW)
        assert not refused.allowed
        assert 0 < refused.reset_after <= WINDOW
        await self.advance(WINDOW + 0.05)
        again = await limiter.hit("w", 2, WINDOW)
        assert again.allowed
        assert again.used == 1

    async def test_bad_arguments_are_refused(self, limiter: RateLimiter) -> None:
        with pytest.raises(ValueError):
            await limiter.hit("x", 0, 60)
        with pytest.raises(ValueError):
            await limiter.hit("x", 1, 0)


class TestInMemoryRateLimiter(RateLimiterContract):
    @pytest.fixture
    async def limiter(self) -> AsyncIterator[RateLimiter]:
        self.now = 1000.0
        yield InMemoryRateLimiter(monotonic=lambda: self.now)

    async def advance(self, seconds: float) -> None:
        self.now += seconds

    async def test_concurrent_hits_never_exceed_the_limit(self) -> None:
        limiter = InMemoryRateLimiter()
        decisions = await asyncio.gather(*(limiter.hit("busy", 7, 60) for _ in range(200)))
        assert sum(d.allowed for d in decisions) == 7

    async def test_expired_windows_are_swept(self) -> None:
        clock = {"now": 0.0}
        limiter = InMemoryRateLimiter(monotonic=lambda: clock["now"])
        for index in range(2000):
            await limiter.hit(f"k{index}", 1, 1)
        clock["now"] = 10.0
        for _ in range(1024):
            await limiter.hit("live", 5000, 60)
        assert len(limiter._windows) < 1000


class TestRedisRateLimiter(RateLimiterContract):
    @pytest.fixture
    async def limiter(self, redis_url: str) -> AsyncIterator[RateLimiter]:
        client = aioredis.Redis.from_url(redis_url)
        yield RedisRateLimiter(
            client, prefix=f"test:ratelimit:{uuid.uuid4().hex}:", timeout_seconds=10
        )
        await client.aclose()

    async def advance(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def test_concurrent_hits_from_several_processes_never_exceed_the_limit(
        self, redis_url: str
    ) -> None:
        """Several clients (each its own connection pool, like server processes) hammer one
        key at once: exactly `limit` hits get through."""
        prefix = f"test:ratelimit:{uuid.uuid4().hex}:"
        clients = [aioredis.Redis.from_url(redis_url) for _ in range(6)]
        try:
            limiters = [RedisRateLimiter(c, prefix=prefix, timeout_seconds=10) for c in clients]
            decisions = await asyncio.gather(
                *(limiters[i % len(limiters)].hit("busy", 25, 60) for i in range(300))
            )
            assert sum(d.allowed for d in decisions) == 25
            assert all(d.enforced for d in decisions)
            assert max(d.used for d in decisions) == 25
        finally:
            for client in clients:
                await client.aclose()

    async def test_counters_carry_the_prefix_and_expire(self, redis_url: str) -> None:
        client = aioredis.Redis.from_url(redis_url)
        try:
            prefix = f"test:ratelimit:{uuid.uuid4().hex}:"
            await RedisRateLimiter(client, prefix=prefix).hit("key", 5, 60)
            assert await client.get(prefix + "key") == b"1"
            assert 0 < await client.pttl(prefix + "key") <= 60_000
        finally:
            await client.aclose()

    async def test_redis_down_fails_open_with_a_log(self) -> None:
        client = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
        try:
            limiter = RedisRateLimiter(client)
            with capture_logs() as logs:
                decision = await limiter.hit("k", 1, 60)
                second = await limiter.hit("k", 1, 60)
        finally:
            await client.aclose()
        assert decision.allowed and second.allowed
        assert not decision.enforced and not second.enforced
        assert [entry["event"] for entry in logs] == ["rate_limit_store_unavailable"]

    async def test_slow_redis_fails_open_after_the_timeout_then_rests(self, redis_url: str) -> None:
        client = aioredis.Redis.from_url(redis_url)
        calls: list[int] = []
        now = {"t": 100.0}

        async def stalled(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            await asyncio.sleep(30)

        limiter = RedisRateLimiter(
            client, timeout_seconds=0.05, cooldown_seconds=2, monotonic=lambda: now["t"]
        )
        working = limiter._script
        limiter._script = stalled  # type: ignore[assignment]
        try:
            with capture_logs() as logs:
                decision = await limiter.hit("k", 1, 60)
                during = [await limiter.hit("k", 1, 60) for _ in range(5)]
                now["t"] += 2.5
                limiter._script = working
                back = await limiter.hit(f"k-{uuid.uuid4().hex}", 1, 60)
        finally:
            await client.aclose()
        assert decision.allowed and not decision.enforced
        assert [entry["error"] for entry in logs] == ["TimeoutError"]  # one line, not six
        assert calls == [1]  # the cooldown's hits never waited for Redis
        assert all(d.allowed and not d.enforced for d in during)
        assert back.allowed and back.enforced  # tried again after the cooldown
