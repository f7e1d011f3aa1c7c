"""One contract for the ConnectionSlots port (socket caps), run against the in-process and
the Redis adapters. Both read lease expiry from a FixedClock the test advances."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.connection_slots import InMemoryConnectionSlots
from hypehere.adapters.redis.connection_slots import RedisConnectionSlots
from hypehere.application.common.connection_slots import ConnectionSlots


class ConnectionSlotsContract:
    clock: FixedClock

    @pytest.fixture
    async def slots(self) -> AsyncIterator[ConnectionSlots]:
        raise NotImplementedError
        yield

    async def test_slots_are_given_up_to_the_limit(self, slots: ConnectionSlots) -> None:
        assert await slots.acquire("user:alice", "c1", 2, 30)
        assert await slots.acquire("user:alice", "c2", 2, 30)
        assert not await slots.acquire("user:alice", "c3", 2, 30)
        assert await slots.acquire("user:bob", "c3", 2, 30)  # keys are independent
        assert await slots.count("user:alice") == 2
        assert await slots.count("user:bob") == 1

    async def test_a_released_slot_can_be_taken_again(self, slots: ConnectionSlots) -> None:
        assert await slots.acquire("ip:1.2.3.4", "c1", 1, 30)
        assert not await slots.acquire("ip:1.2.3.4", "c2", 1, 30)
        await slots.release("ip:1.2.3.4", "c1")
        assert await slots.count("ip:1.2.3.4") == 0
        assert await slots.acquire("ip:1.2.3.4", "c2", 1, 30)

    async def test_taking_a_held_slot_again_renews_it(self, slots: ConnectionSlots) -> None:
        assert await slots.acquire("user:alice", "c1", 1, 30)
        assert await slots.acquire("user:alice", "c1", 1, 30)
        assert await slots.count("user:alice") == 1

    async def test_releasing_an_unknown_slot_is_harmless(self, slots: ConnectionSlots) -> None:
        await slots.release("user:ghost", "nope")
        await slots.refresh("user:ghost", "nope", 30)
        assert await slots.count("user:ghost") == 0

    async def test_leases_expire_unless_refreshed(self, slots: ConnectionSlots) -> None:
        assert await slots.acquire("user:alice", "c1", 2, 30)
        assert await slots.acquire("user:alice", "c2", 2, 30)
        self.clock.advance(seconds=20)
        await slots.refresh("user:alice", "c2", 30)
        self.clock.advance(seconds=15)
        assert await slots.count("user:alice") == 1  # c1's lease ran out (a dead process)
        assert await slots.acquire("user:alice", "c3", 2, 30)
        assert not await slots.acquire("user:alice", "c4", 2, 30)

    async def test_racing_connections_never_overshoot_the_limit(
        self, slots: ConnectionSlots
    ) -> None:
        results = await asyncio.gather(
            *(slots.acquire("user:alice", f"c{i}", 3, 30) for i in range(20))
        )
        assert sum(results) == 3
        assert await slots.count("user:alice") == 3


@pytest.mark.unit
class TestInMemoryConnectionSlots(ConnectionSlotsContract):
    @pytest.fixture
    async def slots(self) -> AsyncIterator[ConnectionSlots]:
        self.clock = FixedClock()
        yield InMemoryConnectionSlots(self.clock)


@pytest.mark.integration
class TestRedisConnectionSlots(ConnectionSlotsContract):
    @pytest.fixture
    async def slots(self, redis_url: str) -> AsyncIterator[ConnectionSlots]:
        self.clock = FixedClock()
        client = aioredis.Redis.from_url(redis_url)
        prefix = f"test-{uuid.uuid4().hex}:"
        try:
            yield RedisConnectionSlots(client, self.clock, prefix=prefix)
        finally:
            keys = [key async for key in client.scan_iter(f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
