"""One contract for the VisitorCounter port, in process and in Redis: one salt per day
shared by every process, distinct visitors and signed-in users counted per day, days apart."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.analytics import InMemoryVisitorCounter
from hypehere.adapters.redis.analytics import RedisVisitorCounter
from hypehere.application.analytics.ports import VisitorCounter

# Today: Redis keys expire two days after their day ends.
DAY = datetime.now(UTC).date()
NEXT = DAY + timedelta(days=1)


class VisitorCounterContract:
    @pytest.fixture
    async def counter(self) -> AsyncIterator[VisitorCounter]:
        raise NotImplementedError
        yield

    @pytest.fixture
    async def other(self, counter: VisitorCounter) -> AsyncIterator[VisitorCounter]:
        """Another process's counter (the same one in process)."""
        yield counter

    async def test_one_salt_per_day_for_every_process(
        self, counter: VisitorCounter, other: VisitorCounter
    ) -> None:
        salt = await counter.daily_salt(DAY)
        assert len(salt) >= 32
        assert await other.daily_salt(DAY) == salt
        assert await counter.daily_salt(NEXT) != salt

    async def test_distinct_visitors_and_users_per_day(
        self, counter: VisitorCounter, other: VisitorCounter
    ) -> None:
        assert await counter.count(DAY) == (0, 0)
        for key in ("u:1", "u:2", "a:x", "a:y", "a:z"):
            await counter.add(DAY, key)
        await other.add(DAY, "u:1")
        await other.add(DAY, "a:x")
        await counter.add(NEXT, "u:3")
        assert await other.count(DAY) == (5, 2)
        assert await counter.count(NEXT) == (1, 1)


class TestInMemoryVisitorCounter(VisitorCounterContract):
    @pytest.fixture
    async def counter(self) -> AsyncIterator[VisitorCounter]:
        yield InMemoryVisitorCounter()


@pytest.mark.integration
class TestRedisVisitorCounter(VisitorCounterContract):
    @pytest.fixture
    async def clients(self, redis_url: str) -> AsyncIterator[Callable[[], VisitorCounter]]:
        prefix = f"test-{uuid.uuid4().hex}:analytics:"
        made: list[aioredis.Redis] = []

        def make() -> VisitorCounter:
            client = aioredis.Redis.from_url(redis_url)
            made.append(client)
            return RedisVisitorCounter(client, prefix=prefix)

        try:
            yield make
        finally:
            cleaner = aioredis.Redis.from_url(redis_url)
            keys = [key async for key in cleaner.scan_iter(f"{prefix}*")]
            if keys:
                await cleaner.delete(*keys)
            await cleaner.aclose()
            for client in made:
                await client.aclose()

    @pytest.fixture
    async def counter(self, clients: Callable[[], VisitorCounter]) -> AsyncIterator[VisitorCounter]:
        yield clients()

    @pytest.fixture
    async def other(self, clients: Callable[[], VisitorCounter]) -> AsyncIterator[VisitorCounter]:
        yield clients()

    async def test_keys_expire_two_days_after_their_day(
        self, counter: VisitorCounter, redis_url: str
    ) -> None:
        await counter.daily_salt(DAY)
        await counter.add(DAY, "u:1")
        client = aioredis.Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(f"test-*:analytics:*{DAY.isoformat()}")]
            assert len(keys) == 3  # salt, visitors, users
            for key in keys:
                assert await client.ttl(key) > 0
        finally:
            await client.aclose()

    async def test_a_key_this_process_added_today_costs_no_round_trip(
        self, clients: Callable[[], VisitorCounter], other: VisitorCounter
    ) -> None:
        counter = clients()
        assert isinstance(counter, RedisVisitorCounter)
        calls: list[str] = []
        pipeline = counter._r.pipeline

        def counting(*args: object, **kwargs: object) -> object:
            calls.append("pipeline")
            return pipeline(*args, **kwargs)  # type: ignore[arg-type]

        counter._r.pipeline = counting  # type: ignore[method-assign]
        for _ in range(3):
            await counter.add(DAY, "u:1")
        await counter.add(DAY, "a:x")
        await counter.add(NEXT, "u:1")  # another day: counted there
        await counter.add(NEXT, "u:1")
        assert calls == ["pipeline"] * 3
        await other.add(DAY, "u:1")  # another process adds it once too: still one visitor
        assert await counter.count(DAY) == (2, 1)
        assert await counter.count(NEXT) == (1, 1)
