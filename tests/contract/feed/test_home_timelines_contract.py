"""One contract for the HomeTimelines port, in process and in Redis: pages in the
following feed's order (created_at DESC, id DESC) with equal timestamps and microsecond
steps, cursors that land inside a run of equal timestamps, the horizon trimmed from the
oldest end, writes that only reach existing timelines, and rebuilds that a drop or a newer
rebuild makes void, and the followed celebrities a page reports (the owner's followees
kept at the rebuild, crossed with the celebrity marks of the moment)."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio as aioredis

from hypehere.adapters.memory.home_timelines import InMemoryHomeTimelines
from hypehere.adapters.redis.home_timelines import RedisHomeTimelines, score_of, time_of
from hypehere.application.feed.ports import HomeTimelines, TimelineEntry, TimelinePage

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Make = Callable[[int], HomeTimelines]


def entry(seconds: float, post_id: str | None = None) -> TimelineEntry:
    return TimelineEntry(post_id or str(uuid.uuid4()), T0 + timedelta(seconds=seconds))


def api_order(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.created_at, e.post_id), reverse=True)


async def warm(store: HomeTimelines, user: str, entries: list[TimelineEntry]) -> None:
    token = await store.start_rebuild(user)
    assert await store.rebuild(user, token, entries, complete=True, followees=[])


async def walk(store: HomeTimelines, user: str, size: int) -> list[TimelineEntry]:
    out: list[TimelineEntry] = []
    before = None
    while True:
        page = await store.page(user, before, size)
        assert page is not None
        out.extend(page.entries)
        if len(page.entries) < size:
            return out
        before = page.entries[-1]


async def is_warm(store: HomeTimelines, user: str) -> bool:
    return await store.page(user, None, 1) is not None


async def is_complete(store: HomeTimelines, user: str) -> bool:
    page = await store.page(user, None, 1)
    return page is not None and page.complete


async def entries_of(
    store: HomeTimelines, user: str, before: TimelineEntry | None, size: int
) -> list[TimelineEntry]:
    page = await store.page(user, before, size)
    assert page is not None
    return page.entries


class HomeTimelinesContract:
    @pytest.fixture
    async def make(self) -> AsyncIterator[Make]:
        raise NotImplementedError
        yield

    async def test_a_timeline_is_cold_until_rebuilt_and_writes_skip_cold_ones(
        self, make: Make
    ) -> None:
        store = make(10)
        assert await store.page("u1", None, 5) is None
        assert not await is_warm(store, "u1")
        await store.add(entry(1), ["u1"])
        await warm(store, "u1", [])
        assert await store.page("u1", None, 5) == TimelinePage([], complete=True, celebrities=[])
        assert await is_warm(store, "u1") and await is_complete(store, "u1")

    async def test_pages_follow_the_api_order_through_ties_and_microseconds(
        self, make: Make
    ) -> None:
        store = make(500)
        rng = random.Random(19)
        # Few distinct times (many ties), some a microsecond apart, ids in random order.
        times = [0, 0.000001, 0.000002, 0.001, 1, 1.000001, 86_400 * 365]
        entries = [entry(rng.choice(times)) for _ in range(120)]
        half = len(entries) // 2
        await warm(store, "u1", entries[:half])
        for e in entries[half:]:
            await store.add(e, ["u1"])
        expected = api_order(entries)
        for size in (1, 2, 3, 7, 50, 200):
            assert await walk(store, "u1", size) == expected, size
        # A cursor inside a run of equal timestamps, and one that is not an entry at all.
        middle = expected[40]
        assert await entries_of(store, "u1", middle, 10) == expected[41:51]
        ghost = TimelineEntry("ffffffff-ffff-7fff-bfff-ffffffffffff", middle.created_at)
        later = [
            e for e in expected if (e.created_at, e.post_id) < (ghost.created_at, ghost.post_id)
        ]
        assert await entries_of(store, "u1", ghost, 10) == later[:10]

    async def test_the_horizon_keeps_the_newest_and_marks_the_timeline_trimmed(
        self, make: Make
    ) -> None:
        store = make(5)
        old = [entry(i) for i in range(4)]
        await warm(store, "u1", old)
        assert await is_complete(store, "u1")
        newer = [entry(10 + i) for i in range(3)]
        for e in newer:
            await store.add(e, ["u1"])
        assert await walk(store, "u1", 3) == api_order(old + newer)[:5]
        assert not await is_complete(store, "u1") and await is_warm(store, "u1")
        # A rebuild with more than the horizon keeps the newest and is not complete.
        token = await store.start_rebuild("u2")
        assert await store.rebuild("u2", token, old + newer, complete=True, followees=[])
        assert await walk(store, "u2", 10) == api_order(old + newer)[:5]
        assert not await is_complete(store, "u2")
        token = await store.start_rebuild("u3")
        assert await store.rebuild("u3", token, old, complete=False, followees=[])
        assert not await is_complete(store, "u3")

    async def test_fan_out_during_a_rebuild_is_kept_and_users_are_apart(self, make: Make) -> None:
        store = make(100)
        token = await store.start_rebuild("u1")
        assert await store.page("u1", None, 5) is None  # building is not warm
        during = entry(50)
        await store.add(during, ["u1", "u2"])
        from_sql = [entry(1), entry(2)]
        assert await store.rebuild("u1", token, from_sql, complete=True, followees=[])
        assert await walk(store, "u1", 10) == api_order([during, *from_sql])
        assert await store.page("u2", None, 5) is None

    async def test_a_drop_or_a_newer_rebuild_voids_a_rebuild(self, make: Make) -> None:
        store = make(100)
        first = await store.start_rebuild("u1")
        await store.mark_cold(["u1"])
        assert not await store.rebuild("u1", first, [entry(1)], complete=True, followees=[])
        assert not await is_warm(store, "u1")
        first = await store.start_rebuild("u1")
        second = await store.start_rebuild("u1")
        assert not await store.rebuild("u1", first, [entry(1)], complete=True, followees=[])
        assert await store.rebuild("u1", second, [entry(2, "b")], complete=True, followees=[])
        assert [e.post_id for e in await walk(store, "u1", 10)] == ["b"]
        await store.mark_cold(["u1", "nobody"])
        assert await store.page("u1", None, 5) is None

    async def test_remove_takes_a_post_out_of_the_given_timelines(self, make: Make) -> None:
        store = make(100)
        keep, gone = entry(1), entry(2)
        await warm(store, "u1", [keep, gone])
        await warm(store, "u2", [keep, gone])
        await store.remove(gone.post_id, ["u1"])
        assert await walk(store, "u1", 10) == [keep]
        assert await walk(store, "u2", 10) == [gone, keep]

    async def test_a_page_reports_the_followed_celebrities_of_the_moment(self, make: Make) -> None:
        store = make(2)
        token = await store.start_rebuild("u1")
        assert await store.rebuild(
            "u1", token, [entry(1)], complete=True, followees=["star", "friend", "other"]
        )
        token = await store.start_rebuild("u2")
        assert await store.rebuild("u2", token, [], complete=True, followees=["friend"])
        assert await store.page("u1", None, 5) == TimelinePage(
            [await only(store, "u1")], complete=True, celebrities=[]
        )
        await store.mark_celebrity("star")
        await store.mark_celebrity("other")
        await store.mark_celebrity("stranger")
        assert await store.is_celebrity("star") and not await store.is_celebrity("friend")
        assert await celebrities_of(store, "u1") == ["other", "star"]
        assert await celebrities_of(store, "u2") == []
        await store.unmark_celebrity("other")
        assert await celebrities_of(store, "u1") == ["star"]
        assert not await store.is_celebrity("other")
        # Trimming marks the timeline incomplete; a page says so.
        await store.add(entry(2), ["u1"])
        await store.add(entry(3), ["u1"])
        page = await store.page("u1", None, 5)
        assert page is not None and not page.complete and len(page.entries) == 2
        # A drop forgets the followees with the entries; a rebuild replaces them.
        await store.mark_cold(["u1"])
        token = await store.start_rebuild("u1")
        assert await store.rebuild("u1", token, [], complete=True, followees=["friend"])
        assert await celebrities_of(store, "u1") == []


async def only(store: HomeTimelines, user: str) -> TimelineEntry:
    (found,) = await walk(store, user, 5)
    return found


async def celebrities_of(store: HomeTimelines, user: str) -> list[str]:
    page = await store.page(user, None, 1)
    assert page is not None
    return page.celebrities


class TestInMemoryHomeTimelines(HomeTimelinesContract):
    @pytest.fixture
    async def make(self) -> AsyncIterator[Make]:
        yield lambda horizon: InMemoryHomeTimelines(horizon)


class TestRedisHomeTimelines(HomeTimelinesContract):
    @pytest.fixture
    async def make(self, redis_url: str) -> AsyncIterator[Make]:
        prefix = f"test-{uuid.uuid4().hex}:home:"
        client = aioredis.Redis.from_url(redis_url)
        try:
            yield lambda horizon: RedisHomeTimelines(client, horizon=horizon, prefix=prefix)
        finally:
            keys = [key async for key in client.scan_iter(f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()


def test_scores_are_exact_microseconds() -> None:
    for at in (T0, T0 + timedelta(microseconds=1), datetime(2255, 1, 1, tzinfo=UTC)):
        score = score_of(at)
        assert float(score) == score and time_of(float(score)) == at
    assert score_of(T0 + timedelta(microseconds=1)) == score_of(T0) + 1
