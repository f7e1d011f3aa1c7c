"""The daily rows (`DailyStatsRepository`) and the day's counts of other modules, read only
through their published `queries.py` handles (`ActivityCounts`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.analytics.tables import DailyStatsRow
from hypehere.adapters.sql.chat.queries import public_messages
from hypehere.adapters.sql.feed.queries import public_comments, public_posts
from hypehere.adapters.sql.matching.queries import public_anonymous_conversations
from hypehere.adapters.sql.moderation.queries import public_reports, report_is_open
from hypehere.adapters.sql.users.queries import public_users
from hypehere.domain.analytics.model import DailyStats

_daily: Any = DailyStatsRow.__table__  # type: ignore[attr-defined]
_FIELDS = ("visitors", "active_users", "new_users", "posts", "comments", "messages", "matches")


class SqlDailyStats:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def save(self, stats: DailyStats) -> None:
        # Delete then insert in the caller's transaction: a rerun of the day replaces it.
        await self._s.execute(delete(_daily).where(_daily.c.day == stats.day))
        await self._s.execute(
            insert(_daily).values(
                day=stats.day,
                computed_at=datetime.now(UTC),
                **{name: getattr(stats, name) for name in _FIELDS},
            )
        )

    async def between(self, start: date, end: date) -> list[DailyStats]:
        rows = await self._s.execute(
            select(_daily.c.day, *(_daily.c[name] for name in _FIELDS))
            .where(_daily.c.day >= start, _daily.c.day <= end)
            .order_by(_daily.c.day)
        )
        return [DailyStats(*row) for row in rows.all()]


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


class SqlActivityCounts:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _count(self, column: Any, day: date) -> int:
        start, end = _bounds(day)
        result = await self._s.execute(select(func.count()).where(column >= start, column < end))
        return int(result.scalar_one())

    async def new_users(self, day: date) -> int:
        return await self._count(public_users.c.created_at, day)

    async def posts(self, day: date) -> int:
        return await self._count(public_posts.c.created_at, day)

    async def comments(self, day: date) -> int:
        return await self._count(public_comments.c.created_at, day)

    async def messages(self, day: date) -> int:
        return await self._count(public_messages.c.created_at, day)

    async def matches(self, day: date) -> int:
        return await self._count(public_anonymous_conversations.c.started_at, day)

    async def open_reports(self) -> int:
        result = await self._s.execute(
            select(func.count()).select_from(public_reports).where(report_is_open())
        )
        return int(result.scalar_one())
