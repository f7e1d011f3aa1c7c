"""The SQL daily rows on SQLite and PostgreSQL: a saved day is replaced by a rerun, and a
range reads the stored days oldest first."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.sql.analytics.repositories import SqlActivityCounts, SqlDailyStats
from hypehere.domain.analytics.model import DailyStats


def _row(day: date, visitors: int) -> DailyStats:
    return DailyStats(day, visitors, 1, 2, 3, 4, 5)


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
        ) == (0, 0, 0, 0)
