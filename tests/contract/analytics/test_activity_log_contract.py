"""The activity log and the aggregate store, against every adapter (memory, SQLite,
PostgreSQL): events logged once per id, counted per kind and per language pair in [start,
end), distinct users, pruning by age; per-pair rows, cohorts and insights replaced on
save, and the reader's ranges."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from hypehere.adapters.memory.analytics import InMemoryActivityLog, InMemoryDailyStats
from hypehere.adapters.sql.analytics.readers import SqlAnalyticsReader
from hypehere.adapters.sql.analytics.repositories import SqlActivityLog, SqlDailyStats
from hypehere.domain.analytics.activity import (
    ActivityEvent,
    ActivityKind,
    Cohort,
    LearningDay,
    MatchingDay,
    TrendingPost,
)
from hypehere.domain.analytics.insights import Insight
from hypehere.domain.shared.ids import id_floor, new_id
from tests.conftest import fresh_session

pytestmark = pytest.mark.integration

DAY = date(2026, 3, 10)
START = datetime(2026, 3, 10, tzinfo=UTC)
END = START + timedelta(days=1)


@dataclass
class World:
    log: Any
    store: Any
    reader: Any
    commit: Callable[[], Awaitable[None]]


def event(kind: ActivityKind, at: datetime, user: str | None = None, **kw: Any) -> ActivityEvent:
    return ActivityEvent(event_id=new_id(), kind=kind, occurred_at=at, user_id=user, **kw)


class ActivityLogContract:
    async def test_an_event_is_logged_once_and_counted_in_its_day(self, world: World) -> None:
        post = event(ActivityKind.POST, START, "u1")
        await world.log.record(post)
        await world.log.record(post)  # redelivered
        await world.log.record(event(ActivityKind.POST, END - timedelta(microseconds=1), "u2"))
        await world.log.record(event(ActivityKind.POST, END, "u3"))  # the next day
        await world.log.record(event(ActivityKind.MATCH, START, language_pair="en-ko"))
        await world.commit()
        assert await world.log.count_by_kind(START, END) == {
            ActivityKind.POST: 2,
            ActivityKind.MATCH: 1,
        }
        assert await world.log.distinct_users(START, END) == 2
        assert await world.log.users(None, START, END + timedelta(days=1)) == {"u1", "u2", "u3"}
        assert await world.log.users(ActivityKind.MATCH, START, END) == set()

    async def test_events_keep_their_figures_and_pairs_are_counted(self, world: World) -> None:
        match = event(
            ActivityKind.MATCH,
            START + timedelta(hours=1),
            language_pair="en-ko",
            seconds=3.5,
            seconds_other=12.0,
            detail="text",
        )
        chat = event(
            ActivityKind.ANONYMOUS_CHAT,
            START + timedelta(hours=2),
            language_pair="en-ko",
            seconds=300.0,
            flag=True,
            detail="left",
        )
        for e in (
            match,
            chat,
            event(ActivityKind.LESSON, START, "u1", language_pair="ko-ja"),
            event(ActivityKind.LESSON, START, "u2", language_pair="ko-ja"),
            event(ActivityKind.REVIEW, START, "u1", language_pair="ko-ja"),
            event(ActivityKind.REVIEW, START, "u1"),  # no pair: left out of per-pair counts
        ):
            await world.log.record(e)
        await world.commit()
        assert await world.log.events(
            [ActivityKind.MATCH, ActivityKind.ANONYMOUS_CHAT], START, END
        ) == [
            match,
            chat,
        ]
        assert await world.log.count_by_pair(
            [ActivityKind.LESSON, ActivityKind.REVIEW], START, END
        ) == {(ActivityKind.LESSON, "ko-ja"): 2, (ActivityKind.REVIEW, "ko-ja"): 1}

    async def test_prune_deletes_old_events_in_batches(self, world: World) -> None:
        def at(moment: datetime) -> ActivityEvent:  # ids are UUIDv7 of the event's time
            stamp = id_floor(int(moment.timestamp() * 1000))
            return ActivityEvent(
                event_id=stamp, kind=ActivityKind.MESSAGE, occurred_at=moment, user_id="u"
            )

        old = [at(START - timedelta(days=d)) for d in (3, 2, 1)]
        kept = at(START)
        for e in (*old, kept):
            await world.log.record(e)
        await world.commit()
        assert await world.log.prune(START, 2) == 2
        assert await world.log.prune(START, 2) == 1
        assert await world.log.prune(START, 2) == 0
        await world.commit()
        assert await world.log.events([ActivityKind.MESSAGE], START - timedelta(days=9), END) == [
            kept
        ]

    async def test_aggregates_are_replaced_on_save_and_read_by_range(self, world: World) -> None:
        first = MatchingDay(DAY, "en-ko", 2, 1.0, 9.0, 1, 60.0, 60.0, 1)
        await world.store.save_pairs(DAY, [first], [LearningDay(DAY, "ko-ja", 1, 2, 0)])
        await world.store.save_pairs(
            DAY + timedelta(days=1), [], [LearningDay(DAY + timedelta(days=1), "en-ko", 0, 0, 3)]
        )
        again = MatchingDay(DAY, "en-ja", 1, None, None, 0, None, None, 0)
        await world.store.save_pairs(DAY, [again, first], [])  # a rerun replaces the day
        await world.store.save_trending(DAY, [TrendingPost(DAY, 1, "p9", 1, 1)])
        top = [TrendingPost(DAY, 1, "p1", 3, 2), TrendingPost(DAY, 2, "p2", 0, 4)]
        await world.store.save_trending(DAY, top)  # a rerun replaces the day
        await world.store.save_cohort(Cohort(DAY, 4))
        await world.store.save_cohort(Cohort(DAY, 4, day1=2))
        await world.store.save_insight(Insight(DAY, "quiet day", "rules", None, START))
        await world.store.save_insight(Insight(DAY, "busy day", "claude", "m", START))
        await world.commit()
        span = (DAY, DAY + timedelta(days=1))
        assert await world.reader.matching(*span) == [again, first]
        assert await world.reader.learning(*span) == [
            LearningDay(DAY + timedelta(days=1), "en-ko", 0, 0, 3)
        ]
        assert await world.reader.trending(*span) == top
        assert await world.store.cohort(DAY) == Cohort(DAY, 4, day1=2)
        assert await world.reader.cohorts(*span) == [Cohort(DAY, 4, day1=2)]
        assert await world.reader.cohorts(DAY + timedelta(days=1), DAY + timedelta(days=2)) == []
        assert await world.reader.insights(5) == [Insight(DAY, "busy day", "claude", "m", START)]


class TestMemory(ActivityLogContract):
    @pytest.fixture
    async def world(self) -> World:
        store = InMemoryDailyStats()

        async def commit() -> None:
            return None

        return World(InMemoryActivityLog(), store, store, commit)


async def _sql_world(url: str) -> AsyncIterator[World]:
    async with fresh_session(url) as session:
        yield World(
            SqlActivityLog(session),
            SqlDailyStats(session),
            SqlAnalyticsReader(session),
            session.commit,
        )


class TestSqlite(ActivityLogContract):
    @pytest.fixture
    async def world(self, sqlite_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(sqlite_url):
            yield world


class TestPostgres(ActivityLogContract):
    @pytest.fixture
    async def world(self, postgres_url: str) -> AsyncIterator[World]:
        async for world in _sql_world(postgres_url):
            yield world
