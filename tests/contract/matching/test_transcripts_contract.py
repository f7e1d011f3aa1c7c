"""One contract for the AnonymousTranscripts port, in process and in Redis: entries come
back decrypted in order, each conversation apart; what is stored is ciphertext only; the
transcript lapses its TTL after the conversation's start and then nothing remains."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.transcripts import InMemoryAnonymousTranscripts
from hypehere.adapters.redis.transcripts import RedisAnonymousTranscripts
from hypehere.application.matching.transcript_ports import AnonymousTranscripts, TranscriptEntry
from hypehere.domain.shared.clock import SystemClock

HOURS_72 = timedelta(hours=72)
SHORT = timedelta(seconds=1)


class TranscriptsContract:
    """Subclasses provide `make(ttl)`, `now()`, `wait_past(ttl)` and `stored()` (every
    byte string the store holds, keys included)."""

    @pytest.fixture
    async def make(self) -> AsyncIterator[Callable[[timedelta], AnonymousTranscripts]]:
        raise NotImplementedError
        yield

    def now(self) -> datetime:
        raise NotImplementedError

    async def wait_past(self, ttl: timedelta) -> None:
        raise NotImplementedError

    async def stored(self) -> list[bytes]:
        raise NotImplementedError

    def entry(self, sender: str, content: str) -> TranscriptEntry:
        return TranscriptEntry(sender_id=sender, content=content, created_at=self.now())

    async def test_entries_come_back_decrypted_in_order(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        started = self.now()
        first, second = self.entry("u1", "hello"), self.entry("u2", "안녕하세요")
        await store.append("c1", started, first)
        await store.append("c1", started, second)
        await store.append("c2", started, self.entry("u3", "other conversation"))
        assert await store.read("c1") == [first, second]
        assert [e.content for e in await store.read("c2")] == ["other conversation"]

    async def test_unknown_conversation_has_no_transcript(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        assert await make(HOURS_72).read("nobody") == []

    async def test_only_ciphertext_is_stored(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        await store.append("c1", self.now(), self.entry("sender-user-id", "a very secret sentence"))
        held = await self.stored()
        assert held
        assert not any(b"secret sentence" in blob or b"sender-user-id" in blob for blob in held)

    async def test_concurrent_first_appends_share_one_key(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        started = self.now()
        await asyncio.gather(
            *(store.append("c1", started, self.entry("u1", f"m{i}")) for i in range(10))
        )
        assert sorted(e.content for e in await store.read("c1")) == [f"m{i}" for i in range(10)]

    async def test_after_the_ttl_nothing_remains(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(SHORT)
        await store.append("c1", self.now(), self.entry("u1", "gone soon"))
        assert len(await store.read("c1")) == 1
        await self.wait_past(SHORT)
        assert await store.read("c1") == []
        assert await self.stored() == []

    async def test_a_conversation_started_before_the_ttl_keeps_nothing(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        long_ago = self.now() - HOURS_72 - timedelta(minutes=1)
        await store.append("c1", long_ago, self.entry("u1", "too late"))
        assert await store.read("c1") == []
        assert await self.stored() == []


class TestInMemoryTranscripts(TranscriptsContract):
    @pytest.fixture
    async def make(self) -> AsyncIterator[Callable[[timedelta], AnonymousTranscripts]]:
        self.clock = FixedClock()
        self.stores: list[InMemoryAnonymousTranscripts] = []

        def build(ttl: timedelta) -> AnonymousTranscripts:
            store = InMemoryAnonymousTranscripts(self.clock, ttl)
            self.stores.append(store)
            return store

        yield build

    def now(self) -> datetime:
        return self.clock.now()

    async def wait_past(self, ttl: timedelta) -> None:
        self.clock.advance(seconds=ttl.total_seconds())

    async def stored(self) -> list[bytes]:
        blobs: list[bytes] = []
        for store in self.stores:
            await store.read("")  # drops what has lapsed
            blobs.extend(b for entries in store.stored().values() for b in entries)
        return blobs


class TestRedisTranscripts(TranscriptsContract):
    @pytest.fixture
    async def make(
        self, redis_url: str
    ) -> AsyncIterator[Callable[[timedelta], AnonymousTranscripts]]:
        self.prefix = f"test-{uuid.uuid4().hex}:transcript:"
        self.client = aioredis.Redis.from_url(redis_url)

        def build(ttl: timedelta) -> AnonymousTranscripts:
            return RedisAnonymousTranscripts(self.client, SystemClock(), ttl, prefix=self.prefix)

        try:
            yield build
        finally:
            keys = [key async for key in self.client.scan_iter(f"{self.prefix}*")]
            if keys:
                await self.client.delete(*keys)
            await self.client.aclose()

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def wait_past(self, ttl: timedelta) -> None:
        # Redis expires at whole seconds (EXPIREAT rounds the lapse up).
        await asyncio.sleep(ttl.total_seconds() + 1.1)

    async def stored(self) -> list[bytes]:
        blobs: list[bytes] = []
        async for key in self.client.scan_iter(f"{self.prefix}*"):
            if await self.client.type(key) == b"list":
                blobs.extend(await self.client.lrange(key, 0, -1))
            else:
                value = await self.client.get(key)
                if value is not None:
                    blobs.append(value)
        return blobs

    async def test_keys_expire_at_the_conversation_start_plus_the_ttl(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        started = self.now() - timedelta(hours=10)
        await store.append("c1", started, self.entry("u1", "hi"))
        keys = [key async for key in self.client.scan_iter(f"{self.prefix}*")]
        assert len(keys) == 2
        for key in keys:
            ttl = await self.client.ttl(key)
            assert 61 * 3600 < ttl <= 62 * 3600 + 1

    async def test_an_append_with_the_key_known_is_one_round_trip(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        started = self.now()
        round_trips = count_round_trips(self.client)
        await store.append("c1", started, self.entry("u1", "first"))  # draws the key
        before = len(round_trips)
        for i in range(5):
            await store.append("c1", started, self.entry("u1", f"m{i}"))
        assert len(round_trips) - before == 5
        contents = [e.content for e in await store.read("c1")]
        assert contents == ["first", "m0", "m1", "m2", "m3", "m4"]

    async def test_a_key_redis_lost_is_put_back_by_the_process_that_knows_it(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        store = make(HOURS_72)
        started = self.now()
        await store.append("c1", started, self.entry("u1", "before"))
        await self.client.delete(f"{self.prefix}c1:key")
        await store.append("c1", started, self.entry("u1", "after"))
        assert [e.content for e in await store.read("c1")] == ["before", "after"]

    async def test_entries_sealed_under_a_replaced_key_are_sealed_again(
        self, make: Callable[[timedelta], AnonymousTranscripts]
    ) -> None:
        """Two processes: the key is lost, the other process draws a new one, then this
        one appends under the key it remembers: its entry is moved under the stored key,
        so every entry reads back (none sealed under a key that is gone)."""
        here, there = make(HOURS_72), make(HOURS_72)
        started = self.now()
        await here.append("c1", started, self.entry("u1", "one"))
        await self.client.delete(f"{self.prefix}c1:key", f"{self.prefix}c1:entries")
        await there.append("c1", started, self.entry("u2", "two"))
        await here.append("c1", started, self.entry("u1", "three"))
        await here.append("c1", started, self.entry("u1", "four"))
        assert [e.content for e in await there.read("c1")] == ["two", "three", "four"]
        assert len(await self.client.lrange(f"{self.prefix}c1:entries", 0, -1)) == 3


def count_round_trips(client: aioredis.Redis) -> list[int]:
    """Counts the pipelines `client` executes (each is one round trip): a list that grows
    by one per execute."""
    executed: list[int] = []
    make_pipeline = client.pipeline

    def pipeline(*args: Any, **kwargs: Any) -> Any:
        pipe = make_pipeline(*args, **kwargs)
        execute = pipe.execute

        async def counted(*a: Any, **k: Any) -> Any:
            executed.append(1)
            return await execute(*a, **k)

        pipe.execute = counted  # type: ignore[method-assign]
        return pipe

    client.pipeline = pipeline  # type: ignore[method-assign]
    return executed
