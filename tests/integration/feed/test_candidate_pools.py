"""The shared candidate pools on SQLite and PostgreSQL: cached for the TTL, served stale
while one background refresh reads them again, first loads shared, failures survived."""

from __future__ import annotations

import asyncio
import gc
import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.sql.feed import candidates as candidates_module
from hypehere.adapters.sql.feed import pools as pools_module
from hypehere.adapters.sql.feed.candidates import SqlFeedCandidates
from hypehere.adapters.sql.feed.pools import LEARNERS, NATIVE, CandidatePools, Pool
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.feed.ports import Impression
from tests.contract.feed.test_feed_store_contract import NOW, make_post
from tests.contract.feed.world import SqlWorld


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


async def _world(sql_factory: async_sessionmaker[AsyncSession]) -> tuple[SqlWorld, str, str]:
    """A Korean learner of English (`me`) and a native English speaker (`writer`)."""
    session = sql_factory()
    world = SqlWorld(session)
    me = await world.add_user("me", native="ko", targets=("en",))
    writer = await world.add_user("writer", native="en")
    return world, me, writer


async def _post(world: SqlWorld, author: str, content: str, minutes_ago: float = 0) -> str:
    post = make_post(author, content, language="en", minutes_ago=minutes_ago)
    await world.ports.posts.add(post)
    await world.commit()
    return post.id


async def _gather(
    sql_factory: async_sessionmaker[AsyncSession], pools: CandidatePools, viewer: str
) -> set[str]:
    async with sql_factory() as session, session.begin():
        found = await SqlFeedCandidates(session, pools).gather(viewer, NOW, None, 500)
    return {c.post_id for c in found}


async def _settle(pools: CandidatePools) -> None:
    for _ in range(200):
        if not pools._refreshing:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the background refresh did not finish")


async def test_pool_is_reused_for_the_ttl_then_refreshed_in_the_background(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world, me, writer = await _world(sql_factory)
    first = await _post(world, writer, "first english post", minutes_ago=10)
    clock = FakeMonotonic()
    pools = CandidatePools(30.0, sql_factory, monotonic=clock, refresh_gap_seconds=0)
    try:
        assert await _gather(sql_factory, pools, me) == {first}
        second = await _post(world, writer, "second english post")
        clock.value += 29
        assert await _gather(sql_factory, pools, me) == {first}  # within the TTL: cached
        clock.value += 2
        # Stale: this call is answered from the old pool and starts one refresh.
        assert await _gather(sql_factory, pools, me) == {first}
        await _settle(pools)
        assert await _gather(sql_factory, pools, me) == {first, second}
    finally:
        await pools.close()
        await world.session.close()


async def test_ttl_zero_reads_the_pool_every_time(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world, me, writer = await _world(sql_factory)
    pools = CandidatePools(0.0, sql_factory)
    try:
        first = await _post(world, writer, "first english post")
        assert await _gather(sql_factory, pools, me) == {first}
        second = await _post(world, writer, "second english post")
        assert await _gather(sql_factory, pools, me) == {first, second}
    finally:
        await world.session.close()


async def test_concurrent_first_loads_share_one_read(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _, _ = await _world(sql_factory)
    await world.session.close()
    calls: list[tuple[str, str]] = []
    gate = asyncio.Event()
    real = pools_module.load_pool

    async def counting(session: AsyncSession, key: tuple[str, str], now: datetime) -> Pool:
        calls.append(key)
        await gate.wait()
        return await real(session, key, now)

    monkeypatch.setattr(pools_module, "load_pool", counting)
    pools = CandidatePools(30.0, sql_factory)
    sessions = [sql_factory() for _ in range(5)]
    try:
        waiting = [
            asyncio.create_task(pools.get((NATIVE, "en"), NOW, session)) for session in sessions
        ]
        await asyncio.sleep(0.05)
        gate.set()
        results = await asyncio.gather(*waiting)
        assert calls == [(NATIVE, "en")]
        assert all(r is results[0] for r in results)
    finally:
        for session in sessions:
            await session.close()


async def test_a_failed_refresh_keeps_serving_the_previous_pool(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, me, writer = await _world(sql_factory)
    first = await _post(world, writer, "first english post")
    clock = FakeMonotonic()
    pools = CandidatePools(30.0, sql_factory, monotonic=clock, refresh_gap_seconds=0)
    try:
        assert await _gather(sql_factory, pools, me) == {first}
        await _post(world, writer, "second english post")

        failures: list[tuple[str, str]] = []

        async def broken(_session: AsyncSession, key: tuple[str, str], _now: datetime) -> Pool:
            failures.append(key)
            raise OSError("database unreachable")

        monkeypatch.setattr(pools_module, "load_pool", broken)
        clock.value += 31
        assert await _gather(sql_factory, pools, me) == {first}
        await _settle(pools)
        assert await _gather(sql_factory, pools, me) == {first}  # still the previous pool
        await _settle(pools)
        # The stale pool keeps asking for a refresh (one at a time), so it heals by itself.
        assert failures.count((NATIVE, "en")) == 2
    finally:
        await pools.close()
        await world.session.close()


async def test_the_window_applies_to_cached_pools_too(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world, me, writer = await _world(sql_factory)
    kept = await _post(world, writer, "fresh english post")
    await _post(world, writer, "an english post from last month", minutes_ago=60 * 24 * 30)
    pools = CandidatePools(30.0, sql_factory)
    try:
        assert await _gather(sql_factory, pools, me) == {kept}
        # The window is applied per request too: a cached pool ages out with the clock.
        async with sql_factory() as session, session.begin():
            later = await SqlFeedCandidates(session, pools).gather(
                me, NOW + timedelta(days=8), None, 500
            )
        assert later == []
    finally:
        await pools.close()
        await world.session.close()


async def test_stale_pools_are_refreshed_one_at_a_time(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _, _ = await _world(sql_factory)
    await world.session.close()
    clock = FakeMonotonic()
    pools = CandidatePools(30.0, sql_factory, monotonic=clock, refresh_gap_seconds=0)
    keys = [(NATIVE, "en"), (NATIVE, "ko"), (LEARNERS, "en")]
    in_flight = 0
    most = 0
    real = pools_module.load_pool

    async def tracking(session: AsyncSession, key: tuple[str, str], now: datetime) -> Pool:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(0.02)
            return await real(session, key, now)
        finally:
            in_flight -= 1

    async with sql_factory() as session:
        for key in keys:
            await pools.get(key, NOW, session)
    monkeypatch.setattr(pools_module, "load_pool", tracking)
    clock.value += 31
    try:
        async with sql_factory() as session:
            for key in keys:
                await pools.get(key, NOW, session)  # each starts a background refresh
        assert len(pools._refreshing) == 3
        await _settle(pools)
        assert most == 1
    finally:
        await pools.close()


async def test_followed_source_skips_seen_posts_before_its_cap(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A heavy reader who has seen the newest posts of everyone they follow still gets the
    older unseen ones (the cap counts unseen posts only)."""
    monkeypatch.setattr(candidates_module, "FOLLOWED_CAP", 3)
    world, me, _ = await _world(sql_factory)
    friend = await world.add_user("friend", native="ja")
    await world.follow(me, friend)
    made = []
    for minutes_ago in (50, 40, 30, 20, 10):
        post = make_post(friend, f"post {minutes_ago}", language="ja", minutes_ago=minutes_ago)
        await world.ports.posts.add(post)
        made.append(post.id)
    await world.ports.log.record_impressions(
        [Impression(me, post_id, friend, "s", 0, 1.0, "h", NOW) for post_id in made[2:]]
    )
    await world.commit()
    try:
        assert await _gather(sql_factory, CandidatePools(), me) == set(made[:2])
    finally:
        await world.session.close()


async def test_warm_loads_the_common_languages_pools_in_the_background(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, me, writer = await _world(sql_factory)  # a ko native learning en; an en native
    first = await _post(world, writer, "an english post")
    await world.session.close()
    pools = CandidatePools(30.0, sql_factory)
    try:
        assert await pools.warm(NOW) == 4  # trending, native:en, learners:ko, learners:en
        await _settle(pools)

        async def unreachable(*_: object) -> Pool:
            raise AssertionError("warmed pools are not loaded again")

        monkeypatch.setattr(pools_module, "load_pool", unreachable)
        assert await _gather(sql_factory, pools, me) == {first}
        assert await pools.warm(NOW) == 0  # nothing left to warm
    finally:
        await pools.close()


async def test_pool_reads_are_planned_for_their_parameters_on_postgres(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A language pool's prepared statement with a generic plan took seconds, not ms."""
    async with sql_factory() as session, session.begin():
        await pools_module.load_pool(session, (NATIVE, "en"), NOW)
        if session.get_bind().dialect.name == "postgresql":
            mode = await session.scalar(text("SHOW plan_cache_mode"))
            assert mode == "force_custom_plan"
    async with sql_factory() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":  # only for that transaction
            assert await session.scalar(text("SHOW plan_cache_mode")) == "auto"


async def test_pool_rows_hold_nothing_the_garbage_collector_tracks(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Pools are replaced every TTL; tracked objects in them fed full collections (the
    feed's p99). Tags and learning languages are comma-joined strings."""
    world, _, writer = await _world(sql_factory)
    await world.ports.posts.add(make_post(writer, "#one #two english", language="en"))
    await world.commit()
    await world.session.close()
    async with sql_factory() as session, session.begin():
        pool = await pools_module.load_pool(session, (NATIVE, "en"), NOW)
    assert [p.hashtags for p in pool.posts] == ["one,two"]
    assert not any(gc.is_tracked(p) for p in pool.posts)


async def test_background_refreshes_are_spaced_by_the_gap(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _, _ = await _world(sql_factory)
    await world.session.close()
    clock = FakeMonotonic()
    pools = CandidatePools(30.0, sql_factory, monotonic=clock, refresh_gap_seconds=0.1)
    keys = [(NATIVE, "en"), (NATIVE, "ko"), (LEARNERS, "en")]
    starts: list[float] = []
    real = pools_module.load_pool

    async def stamped(session: AsyncSession, key: tuple[str, str], now: datetime) -> Pool:
        starts.append(asyncio.get_running_loop().time())
        return await real(session, key, now)

    async with sql_factory() as session:
        for key in keys:
            await pools.get(key, NOW, session)
    monkeypatch.setattr(pools_module, "load_pool", stamped)
    clock.value += 31
    try:
        async with sql_factory() as session:
            for key in keys:
                await pools.get(key, NOW, session)
        await _settle(pools)
        gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
        assert len(starts) == 3 and all(gap >= 0.09 for gap in gaps)
    finally:
        await pools.close()


class FakeWallclock(FakeMonotonic):
    pass


async def test_processes_share_the_pools_they_read_and_keep_their_age(
    sql_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, me, writer = await _world(sql_factory)
    first = await _post(world, writer, "first english post", minutes_ago=10)
    reads: list[tuple[str, str]] = []
    real = pools_module.load_pool

    async def counting(session: AsyncSession, key: tuple[str, str], now: datetime) -> Pool:
        reads.append(key)
        return await real(session, key, now)

    monkeypatch.setattr(pools_module, "load_pool", counting)
    shared = InMemoryCache(FixedClock())
    wall = FakeWallclock()
    clock_a, clock_b = FakeMonotonic(), FakeMonotonic()
    a = CandidatePools(
        30.0, sql_factory, monotonic=clock_a, refresh_gap_seconds=0, shared=shared, wallclock=wall
    )
    b = CandidatePools(
        30.0, sql_factory, monotonic=clock_b, refresh_gap_seconds=0, shared=shared, wallclock=wall
    )
    try:
        assert await _gather(sql_factory, a, me) == {first}
        from_database = len(reads)
        assert from_database >= 2  # at least the native-English and trending pools
        # Another process: every pool comes from the shared copies, none from the database.
        assert await _gather(sql_factory, b, me) == {first}
        assert len(reads) == from_database

        second = await _post(world, writer, "second english post")
        wall.value += 20
        clock_b.value += 31  # b's copies are stale; the shared ones are 20 s old: taken
        await _gather(sql_factory, b, me)
        await _settle(b)
        assert len(reads) == from_database
        assert await _gather(sql_factory, b, me) == {first}
        # ... with their age: 10 s later (30 s after the read) they are stale again, and the
        # shared copies too, so b reads the database and sees the new post.
        wall.value += 10
        clock_b.value += 10
        await _gather(sql_factory, b, me)
        await _settle(b)
        assert len(reads) > from_database
        assert await _gather(sql_factory, b, me) == {first, second}
    finally:
        await a.close()
        await b.close()
        await world.session.close()


async def test_an_unreachable_shared_cache_falls_back_to_the_database(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    world, me, writer = await _world(sql_factory)
    first = await _post(world, writer, "first english post", minutes_ago=10)

    class Down(InMemoryCache):
        async def get(self, key: str) -> bytes | None:
            raise StorageUnavailableError("Redis is unavailable.")

        async def set(self, key: str, value: bytes, ttl_seconds: int | None = None) -> None:
            raise StorageUnavailableError("Redis is unavailable.")

    pools = CandidatePools(30.0, sql_factory, shared=Down(FixedClock()))
    try:
        assert await _gather(sql_factory, pools, me) == {first}
    finally:
        await pools.close()
        await world.session.close()
