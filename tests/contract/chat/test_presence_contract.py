"""One contract for the Presence port, run against the in-process and the Redis adapters.
Both read lease expiry from a FixedClock the test advances, so no test sleeps."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.presence import InMemoryPresence
from hypehere.adapters.redis.presence import RedisPresence
from hypehere.application.common.presence import Presence


class PresenceContract:
    clock: FixedClock

    @pytest.fixture
    async def presence(self) -> AsyncIterator[Presence]:
        raise NotImplementedError
        yield

    async def test_nobody_is_online_at_first(self, presence: Presence) -> None:
        assert not await presence.is_online("alice")
        assert await presence.online(["alice", "bob"]) == set()
        assert await presence.online([]) == set()

    async def test_online_while_any_connection_holds_a_lease(self, presence: Presence) -> None:
        await presence.connect("alice", "c1", 30)
        await presence.connect("alice", "c2", 30)
        await presence.connect("bob", "c3", 30)
        assert await presence.online(["alice", "bob", "carol"]) == {"alice", "bob"}
        await presence.disconnect("alice", "c1")
        assert await presence.is_online("alice")
        await presence.disconnect("alice", "c2")
        assert not await presence.is_online("alice")
        assert await presence.is_online("bob")

    async def test_disconnecting_an_unknown_connection_is_harmless(
        self, presence: Presence
    ) -> None:
        await presence.disconnect("ghost", "nope")
        assert not await presence.is_online("ghost")

    async def test_leases_expire_unless_refreshed(self, presence: Presence) -> None:
        await presence.connect("alice", "c1", 30)
        await presence.connect("bob", "c2", 30)
        self.clock.advance(seconds=20)
        await presence.refresh("bob", "c2", 30)
        self.clock.advance(seconds=15)
        assert await presence.online(["alice", "bob"]) == {"bob"}
        self.clock.advance(seconds=30)
        assert not await presence.is_online("bob")

    async def test_reconnecting_after_expiry_counts_again(self, presence: Presence) -> None:
        await presence.connect("alice", "c1", 10)
        self.clock.advance(seconds=11)
        assert not await presence.is_online("alice")
        await presence.connect("alice", "c1", 10)
        assert await presence.is_online("alice")


@pytest.mark.unit
class TestInMemoryPresence(PresenceContract):
    @pytest.fixture
    async def presence(self) -> AsyncIterator[Presence]:
        self.clock = FixedClock()
        yield InMemoryPresence(self.clock)


@pytest.mark.integration
class TestRedisPresence(PresenceContract):
    @pytest.fixture
    async def presence(self, redis_url: str) -> AsyncIterator[Presence]:
        self.clock = FixedClock()
        client = aioredis.Redis.from_url(redis_url)
        prefix = f"test-{uuid.uuid4().hex}:"
        try:
            yield RedisPresence(client, self.clock, prefix=prefix)
        finally:
            keys = [key async for key in client.scan_iter(f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
