"""The SQL daily rows on SQLite and PostgreSQL: a saved day is replaced by a rerun, and a
range reads the stored days oldest first."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.sql.analytics.repositories import SqlActivityCounts, SqlDailyStats
from hypehere.adapters.sql.feed.tables import PostLikeRow
from hypehere.adapters.sql.matching.tables import AnonymousConversationRow
from hypehere.domain.analytics.activity import TrendingPost
from hypehere.domain.analytics.model import DailyStats
from hypehere.domain.feed.model import Comment
from tests.contract.feed.test_feed_store_contract import NOW, make_post
from tests.contract.feed.world import SqlWorld

conversations = AnonymousConversationRow.__table__  # type: ignore[attr-defined]


def _row(day: date, visitors: int) -> DailyStats:
    return DailyStats(day, visitors, 1, 2, 3, 4, 5, 6)


async def test_save_replaces_the_day_and_between_reads_a_range(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with sql_factory() as session, session.begin():
        repo = SqlDailyStats(session)
        for day in (date(2026, 3, 3), date(2026, 3, 1), date(2026, 3, 5)):
            await repo.save(_row(day, 10))
    async with sql_factory() as session, session.begin():
        await SqlDailyStats(session).save(_row(date(2026, 3, 3), 99))
    async with sql_factory() as session:
        rows = await SqlDailyStats(session).between(date(2026, 3, 2), date(2026, 3, 5))
    assert rows == [_row(date(2026, 3, 3), 99), _row(date(2026, 3, 5), 10)]


async def test_activity_counts_of_an_empty_day_are_zero(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with sql_factory() as session:
        counts = SqlActivityCounts(session)
        day = date(2026, 3, 3)
        assert (
            await counts.new_users(day),
            await counts.posts(day),
            await counts.comments(day),
            await counts.messages(day),
            await counts.matches(day),
            await counts.open_reports(),
        ) == (0, 0, 0, 0, 0, 0)


async def test_matches_are_the_anonymous_conversations_started_that_utc_day(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    starts = [
        datetime(2026, 3, 3, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 3, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 3, 2, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 3, 4, 0, 0, tzinfo=UTC),
    ]
    async with sql_factory() as session, session.begin():
        for n, started in enumerate(starts):
            await session.execute(
                insert(conversations).values(id=f"c{n}", mode="text", started_at=started)
            )
    async with sql_factory() as session:
        assert await SqlActivityCounts(session).matches(date(2026, 3, 3)) == 2


async def test_held_posts_and_comments_count_only_once_released(
    sql_factory: async_sessionmaker[AsyncSession],
) -> None:
    """The fail-closed tier: a held post or comment is not in the day's counts nor in its
    trending posts until it is released (as in the activity log, which logs its creation
    then)."""
    async with sql_factory() as session:
        world = SqlWorld(session)
        alice, bob = await world.add_user("alice"), await world.add_user("bob")
        shown, held = make_post(alice, "hello"), make_post(bob, "first post")
        held.held = True
        for post in (shown, held):
            await world.ports.posts.add(post)
        said, waiting = (
            Comment.write(post=shown, author_id=author, content="hi", mentions=(), now=NOW)
            for author in (alice, bob)
        )
        waiting.held = True
        for comment in (said, waiting):
            await world.ports.comments.add(comment)
        await session.execute(
            insert(PostLikeRow.__table__).values(  # type: ignore[attr-defined]
                post_id=held.id, user_id=bob, created_at=NOW
            )
        )
        await world.commit()
        counts = SqlActivityCounts(session)
        day = NOW.date()
        assert (await counts.posts(day), await counts.comments(day)) == (1, 1)
        assert await counts.top_posts(day, 10) == [TrendingPost(day, 1, shown.id, 0, 1)]
        assert held.release() and waiting.release()  # as ReleasePost / ReleaseComment do
        await world.ports.posts.save(held)
        await world.ports.comments.save(waiting)
        await world.commit()
        assert (await counts.posts(day), await counts.comments(day)) == (2, 2)
        assert await counts.top_posts(day, 10) == [
            TrendingPost(day, 1, shown.id, 0, 2),
            TrendingPost(day, 2, held.id, 1, 0),
        ]
