"""One contract for the MatchingQueue port, run against the in-process and the Redis
adapters: one entry per user under concurrent joins, rounds that remove their pairs
atomically, one round at a time, each user matched at most once with matchers racing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.matching import InMemoryMatchingQueue
from hypehere.adapters.redis.matching import RedisMatchingQueue
from hypehere.application.matching.ports import JoinOutcome, MatchingQueue
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry
from hypehere.domain.matching.policy import Exclusions, Pair, pair_key, plan_round
from hypehere.domain.shared.languages import CefrLevel

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def entry(
    user_id: str,
    native: str = "ko",
    target: str = "en",
    *,
    seconds: float = 0,
    mode: ChatMode = ChatMode.TEXT,
) -> QueueEntry:
    return QueueEntry(
        user_id=user_id,
        native_language=native,
        targets=(LearnedLanguage(target, CefrLevel.B1),),
        mode=mode,
        joined_at=T0 + timedelta(seconds=seconds),
    )


async def plan_all(entries: list[QueueEntry]) -> list[Pair]:
    await asyncio.sleep(0)  # let racing rounds interleave
    return plan_round(entries, Exclusions(), T0 + timedelta(minutes=5))


NOW = T0 + timedelta(minutes=5)


class MatchingQueueContract:
    @pytest.fixture
    async def queue(self) -> AsyncIterator[MatchingQueue]:
        raise NotImplementedError
        yield

    @pytest.fixture
    async def second_queue(self, queue: MatchingQueue) -> AsyncIterator[MatchingQueue]:
        """Another matcher on the same queue (another process's adapter, for Redis)."""
        yield queue

    async def test_one_entry_per_user(self, queue: MatchingQueue) -> None:
        assert await queue.join(entry("alice")) is JoinOutcome.JOINED
        second = await queue.join(entry("alice", "ja", seconds=5))
        assert second is JoinOutcome.ALREADY_QUEUED
        kept = await queue.get("alice")
        assert kept == entry("alice")
        assert await queue.get("bob") is None

    async def test_leave_removes_and_returns_the_entry(self, queue: MatchingQueue) -> None:
        await queue.join(entry("alice"))
        assert await queue.leave("alice") == entry("alice")
        assert await queue.leave("alice") is None
        assert await queue.get("alice") is None
        assert await queue.join(entry("alice", seconds=1)) is JoinOutcome.JOINED

    async def test_snapshot_is_oldest_first(self, queue: MatchingQueue) -> None:
        await queue.join(entry("carol", seconds=2))
        await queue.join(entry("alice", seconds=0))
        await queue.join(entry("bob", seconds=1))
        assert [e.user_id for e in await queue.snapshot()] == ["alice", "bob", "carol"]

    async def test_concurrent_joins_keep_one_entry_per_user(self, queue: MatchingQueue) -> None:
        users = [f"user{i}" for i in range(60)]
        results = await asyncio.gather(
            *[queue.join(entry(u, seconds=k)) for u in users for k in range(3)]
        )
        assert results.count(JoinOutcome.JOINED) == len(users)
        assert results.count(JoinOutcome.ALREADY_QUEUED) == 2 * len(users)
        assert sorted(e.user_id for e in await queue.snapshot()) == sorted(users)

    async def test_a_round_removes_its_pairs_and_records_them(self, queue: MatchingQueue) -> None:
        await queue.join(entry("ko1", "ko", "en"))
        await queue.join(entry("en1", "en", "ko", seconds=1))
        await queue.join(entry("ja1", "ja", "fr", seconds=2))
        pairs = await queue.run_round(plan_all, NOW)
        assert pairs is not None
        assert [set(p.user_ids) for p in pairs] == [{"ko1", "en1"}]
        assert [e.user_id for e in await queue.snapshot()] == ["ja1"]
        recent = await queue.recent_partners(["ko1"], NOW - timedelta(hours=24))
        assert recent == frozenset({pair_key("ko1", "en1")})
        assert await queue.recent_partners(["ko1"], NOW + timedelta(seconds=1)) == frozenset()
        assert await queue.recent_partners(["ja1"], NOW - timedelta(hours=24)) == frozenset()
        # until their conversation is open, the two cannot queue again
        assert await queue.join(entry("ko1", seconds=9)) is JoinOutcome.BEING_MATCHED
        await queue.release_matched(["ko1", "en1"])
        assert await queue.join(entry("ko1", seconds=9)) is JoinOutcome.JOINED
        assert await queue.join(entry("en1", seconds=9)) is JoinOutcome.JOINED

    async def test_a_pair_whose_entry_changed_since_the_snapshot_is_skipped(
        self, queue: MatchingQueue
    ) -> None:
        await queue.join(entry("ko1", "ko", "en"))
        await queue.join(entry("en1", "en", "ko", seconds=1))
        await queue.join(entry("ko2", "ko", "en", seconds=2))
        await queue.join(entry("en2", "en", "ko", seconds=3))

        async def plan_then_requeue(entries: list[QueueEntry]) -> list[Pair]:
            pairs = await plan_all(entries)
            await queue.leave("en1")  # en1 leaves and comes back while the round plans
            await queue.join(entry("en1", "en", "ko", seconds=30))
            return pairs

        pairs = await queue.run_round(plan_then_requeue, NOW)
        assert pairs is not None
        made = [set(p.user_ids) for p in pairs]
        assert all("en1" not in users for users in made)
        assert len(made) == 1
        waiting = {e.user_id for e in await queue.snapshot()}
        assert "en1" in waiting
        assert len(waiting) == 2

    async def test_one_round_at_a_time(
        self, queue: MatchingQueue, second_queue: MatchingQueue
    ) -> None:
        await queue.join(entry("ko1", "ko", "en"))
        await queue.join(entry("en1", "en", "ko", seconds=1))
        inside = asyncio.Event()
        release = asyncio.Event()

        async def slow(entries: list[QueueEntry]) -> list[Pair]:
            inside.set()
            await release.wait()
            return await plan_all(entries)

        first = asyncio.create_task(queue.run_round(slow, NOW))
        await inside.wait()
        assert await second_queue.run_round(plan_all, NOW) is None
        release.set()
        made = await first
        assert made is not None and len(made) == 1
        assert await second_queue.run_round(plan_all, NOW) == []

    async def test_round_requests_are_taken_once(self, queue: MatchingQueue) -> None:
        assert not await queue.take_round_request()
        await queue.request_round()
        await queue.request_round()
        assert await queue.take_round_request()
        assert not await queue.take_round_request()

    async def test_racing_matchers_match_each_user_at_most_once(
        self, queue: MatchingQueue, second_queue: MatchingQueue
    ) -> None:
        users = [entry(f"ko{i}", "ko", "en", seconds=i) for i in range(40)]
        users += [entry(f"en{i}", "en", "ko", seconds=i) for i in range(40)]
        matched: list[str] = []

        async def joiner(e: QueueEntry, q: MatchingQueue) -> None:
            await q.join(e)
            made = await q.run_round(plan_all, NOW)
            for pair in made or []:
                matched.extend(pair.user_ids)

        await asyncio.gather(
            *[joiner(e, queue if i % 2 else second_queue) for i, e in enumerate(users)]
        )
        while True:  # what the racing rounds left: a last round pairs it
            made = await queue.run_round(plan_all, NOW)
            assert made is not None
            if not made:
                break
            for pair in made:
                matched.extend(pair.user_ids)
        assert len(matched) == len(set(matched)) == 80
        assert await queue.snapshot() == []

    async def test_restore_puts_a_failed_pair_back_as_it_was(self, queue: MatchingQueue) -> None:
        await queue.join(entry("ko1", "ko", "en"))
        await queue.join(entry("ja1", "ja", "fr", seconds=1))
        await queue.join(entry("en1", "en", "ko", seconds=2))
        before = await queue.snapshot()
        pairs = await queue.run_round(plan_all, NOW)
        assert pairs is not None and len(pairs) == 1
        await queue.restore(pairs)
        assert await queue.snapshot() == before  # same entries, same places in line
        assert await queue.recent_partners(["ko1"], NOW - timedelta(hours=1)) == frozenset()
        await queue.release_matched(["ko1", "en1"])
        assert await queue.join(entry("ko1", seconds=9)) is JoinOutcome.ALREADY_QUEUED
        again = await queue.run_round(plan_all, NOW)
        assert again is not None and [set(p.user_ids) for p in again] == [{"ko1", "en1"}]

    async def test_restore_keeps_an_entry_made_since(self, queue: MatchingQueue) -> None:
        await queue.join(entry("ko1", "ko", "en"))
        await queue.join(entry("en1", "en", "ko", seconds=1))
        pairs = await queue.run_round(plan_all, NOW)
        assert pairs
        await queue.release_matched(["ko1", "en1"])
        newer = entry("ko1", "ko", "en", seconds=30)
        assert await queue.join(newer) is JoinOutcome.JOINED
        await queue.restore(pairs)
        assert await queue.get("ko1") == newer
        assert await queue.get("en1") == entry("en1", "en", "ko", seconds=1)

    async def test_socket_marks_of_queued_users(
        self, queue: MatchingQueue, second_queue: MatchingQueue
    ) -> None:
        await queue.join(entry("alice"))
        await queue.join(entry("bob", seconds=1))
        await queue.socket_opened("alice")  # recorded by one process...
        await second_queue.socket_closed("bob", NOW)
        assert await second_queue.socket_marks() == {"alice": None, "bob": NOW}  # ...seen by all
        await second_queue.socket_closed("alice", NOW + timedelta(seconds=1))
        await queue.socket_opened("bob")
        assert await queue.socket_marks() == {"alice": NOW + timedelta(seconds=1), "bob": None}

    async def test_a_join_clears_a_gone_mark_but_not_an_open_one(
        self, queue: MatchingQueue
    ) -> None:
        await queue.socket_closed("alice", NOW)  # not queued: the mark is dropped
        await queue.socket_opened("bob")  # a socket opened before queueing
        assert await queue.socket_marks() == {}
        await queue.join(entry("alice"))
        await queue.join(entry("bob"))
        assert await queue.socket_marks() == {"bob": None}
        await queue.socket_closed("bob", NOW)
        await queue.leave("bob")
        await queue.socket_closed("carol", NOW)
        await queue.join(entry("carol"))  # a fresh entry is not dropped for an old close
        assert await queue.socket_marks() == {}
        await queue.join(entry("bob", seconds=5))
        assert await queue.socket_marks() == {}

    async def test_expire_drops_only_old_entries(self, queue: MatchingQueue) -> None:
        await queue.join(entry("old", seconds=0))
        await queue.join(entry("new", seconds=120))
        gone = await queue.expire(T0 + timedelta(seconds=60))
        assert [e.user_id for e in gone] == ["old"]
        assert [e.user_id for e in await queue.snapshot()] == ["new"]
        assert await queue.expire(T0 + timedelta(seconds=60)) == []

    async def test_waits_keep_the_latest_per_line(self, queue: MatchingQueue) -> None:
        assert await queue.recent_waits(("ko", "en")) == []
        for seconds in range(60):
            await queue.record_wait(("ko", "en"), float(seconds))
        await queue.record_wait(("en", "ko"), 7.5)
        waits = await queue.recent_waits(("ko", "en"))
        assert waits == [float(s) for s in range(10, 60)]
        assert await queue.recent_waits(("en", "ko")) == [7.5]


@pytest.mark.unit
class TestInMemoryMatchingQueue(MatchingQueueContract):
    @pytest.fixture
    async def queue(self) -> AsyncIterator[MatchingQueue]:
        yield InMemoryMatchingQueue()


@pytest.mark.integration
class TestRedisMatchingQueue(MatchingQueueContract):
    @pytest.fixture
    async def clients(self, redis_url: str) -> AsyncIterator[Callable[[], MatchingQueue]]:
        prefix = f"test-{uuid.uuid4().hex}:matching:"
        made: list[aioredis.Redis] = []

        def make() -> MatchingQueue:
            pool = aioredis.BlockingConnectionPool.from_url(redis_url, max_connections=16)
            client = aioredis.Redis(connection_pool=pool)
            made.append(client)
            return RedisMatchingQueue(client, prefix=prefix)

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
    async def queue(self, clients: Callable[[], MatchingQueue]) -> AsyncIterator[MatchingQueue]:
        yield clients()

    @pytest.fixture
    async def second_queue(
        self, clients: Callable[[], MatchingQueue]
    ) -> AsyncIterator[MatchingQueue]:
        yield clients()
