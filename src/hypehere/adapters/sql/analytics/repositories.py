"""The rollup's writes (`DailyStatsRepository`), the activity log (`ActivityLog`), and the
day's counts of other modules, read only through their published `queries.py` handles
(`ActivityCounts`). The API's reads are in `readers.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, distinct, func, insert, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.analytics.readers import (
    cohort_from_row,
    cohorts,
    daily,
    daily_columns,
    daily_from_row,
    events,
    insights,
    learning,
    matching,
    trending,
)
from hypehere.adapters.sql.chat.queries import public_messages
from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.queries import (
    comment_visible_to,
    post_visible_to,
    public_comments,
    public_post_likes,
    public_posts,
)
from hypehere.adapters.sql.matching.queries import public_anonymous_conversations
from hypehere.adapters.sql.moderation.queries import public_reports, report_is_open
from hypehere.adapters.sql.pruning import delete_by_id, id_floor_before
from hypehere.adapters.sql.users.queries import public_users
from hypehere.domain.analytics.activity import (
    ActivityEvent,
    ActivityKind,
    Cohort,
    LearningDay,
    MatchingDay,
    TrendingPost,
)
from hypehere.domain.analytics.insights import Insight
from hypehere.domain.analytics.model import DailyStats


class SqlDailyStats:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def save(self, stats: DailyStats) -> None:
        # Delete then insert in the caller's transaction: a rerun of the day replaces it.
        await self._s.execute(delete(daily).where(daily.c.day == stats.day))
        await self._s.execute(insert(daily).values(computed_at=datetime.now(UTC), **asdict(stats)))

    async def save_pairs(
        self, day: date, matching_rows: Sequence[MatchingDay], learning_rows: Sequence[LearningDay]
    ) -> None:
        for table, rows in ((matching, matching_rows), (learning, learning_rows)):
            await self._s.execute(delete(table).where(table.c.day == day))
            if rows:
                await self._s.execute(insert(table), [asdict(row) for row in rows])

    async def save_trending(self, day: date, posts: Sequence[TrendingPost]) -> None:
        await self._s.execute(delete(trending).where(trending.c.day == day))
        if posts:
            await self._s.execute(insert(trending), [asdict(post) for post in posts])

    async def cohort(self, day: date) -> Cohort | None:
        row = (await self._s.execute(select(cohorts).where(cohorts.c.day == day))).first()
        return cohort_from_row(row) if row is not None else None

    async def save_cohort(self, cohort: Cohort) -> None:
        await self._s.execute(delete(cohorts).where(cohorts.c.day == cohort.day))
        await self._s.execute(
            insert(cohorts).values({f.name: getattr(cohort, f.name) for f in fields(cohort)})
        )

    async def between(self, start: date, end: date) -> list[DailyStats]:
        rows = await self._s.execute(
            select(*daily_columns())
            .where(daily.c.day >= start, daily.c.day <= end)
            .order_by(daily.c.day)
        )
        return [daily_from_row(row) for row in rows.all()]

    async def save_insight(self, insight: Insight) -> None:
        await self._s.execute(delete(insights).where(insights.c.day == insight.day))
        await self._s.execute(insert(insights).values(asdict(insight)))


class SqlActivityLog:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def record(self, event: ActivityEvent) -> None:
        values = asdict(event)
        values["id"] = values.pop("event_id")
        values["kind"] = event.kind.value
        exists = await self._s.execute(select(events.c.id).where(events.c.id == event.event_id))
        if exists.first() is None:
            async with translate_errors():
                await self._s.execute(insert(events).values(values))

    async def count_by_kind(self, start: datetime, end: datetime) -> dict[ActivityKind, int]:
        rows = await self._s.execute(
            select(events.c.kind, func.count())
            .where(events.c.occurred_at >= start, events.c.occurred_at < end)
            .group_by(events.c.kind)
        )
        return {ActivityKind(kind): int(n) for kind, n in rows.all()}

    async def count_by_pair(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> dict[tuple[ActivityKind, str], int]:
        rows = await self._s.execute(
            select(events.c.kind, events.c.language_pair, func.count())
            .where(
                events.c.kind.in_([k.value for k in kinds]),
                events.c.language_pair.is_not(None),
                events.c.occurred_at >= start,
                events.c.occurred_at < end,
            )
            .group_by(events.c.kind, events.c.language_pair)
        )
        return {(ActivityKind(kind), pair): int(n) for kind, pair, n in rows.all()}

    async def events(
        self, kinds: Sequence[ActivityKind], start: datetime, end: datetime
    ) -> list[ActivityEvent]:
        rows = await self._s.execute(
            select(events)
            .where(
                events.c.kind.in_([k.value for k in kinds]),
                events.c.occurred_at >= start,
                events.c.occurred_at < end,
            )
            .order_by(events.c.occurred_at, events.c.id)
        )
        return [
            ActivityEvent(
                event_id=row.id,
                kind=ActivityKind(row.kind),
                occurred_at=row.occurred_at,
                user_id=row.user_id,
                language_pair=row.language_pair,
                seconds=row.seconds,
                seconds_other=row.seconds_other,
                flag=row.flag,
                detail=row.detail,
            )
            for row in rows.all()
        ]

    async def distinct_users(self, start: datetime, end: datetime) -> int:
        result = await self._s.execute(
            select(func.count(distinct(events.c.user_id))).where(
                events.c.occurred_at >= start,
                events.c.occurred_at < end,
                events.c.user_id.is_not(None),
            )
        )
        return int(result.scalar_one())

    async def users(self, kind: ActivityKind | None, start: datetime, end: datetime) -> set[str]:
        query = (
            select(events.c.user_id)
            .distinct()
            .where(
                events.c.occurred_at >= start,
                events.c.occurred_at < end,
                events.c.user_id.is_not(None),
            )
        )
        if kind is not None:
            query = query.where(events.c.kind == kind.value)
        return {user_id for (user_id,) in (await self._s.execute(query)).all()}

    async def prune(self, before: datetime, limit: int) -> int:
        return await delete_by_id(
            self._s,
            events,
            limit,
            events.c.id < id_floor_before(before),
            events.c.occurred_at < before,
        )


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start, start + timedelta(days=1)


class SqlActivityCounts:
    """The day's figures of other modules. Posts and comments held by the fail-closed
    moderation tier are not counted (nor ranked) while held: the feed's own rule for an
    anonymous viewer (`post_visible_to(None)`), as in the activity log, where they appear
    only once released."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _count(self, column: Any, day: date, *conditions: Any) -> int:
        start, end = _bounds(day)
        result = await self._s.execute(
            select(func.count()).where(column >= start, column < end, *conditions)
        )
        return int(result.scalar_one())

    async def new_users(self, day: date) -> int:
        return await self._count(public_users.c.created_at, day)

    async def posts(self, day: date) -> int:
        return await self._count(public_posts.c.created_at, day, post_visible_to(None))

    async def comments(self, day: date) -> int:
        return await self._count(public_comments.c.created_at, day, comment_visible_to(None))

    async def messages(self, day: date) -> int:
        return await self._count(public_messages.c.created_at, day)

    async def matches(self, day: date) -> int:
        return await self._count(public_anonymous_conversations.c.started_at, day)

    async def open_reports(self) -> int:
        result = await self._s.execute(
            select(func.count()).select_from(public_reports).where(report_is_open())
        )
        return int(result.scalar_one())

    async def top_posts(self, day: date, limit: int) -> list[TrendingPost]:
        start, end = _bounds(day)
        likes = public_post_likes
        comments = public_comments
        engaged = union_all(
            select(likes.c.post_id.label("post_id"), literal(1).label("is_like")).where(
                likes.c.created_at >= start, likes.c.created_at < end
            ),
            select(comments.c.post_id.label("post_id"), literal(0).label("is_like")).where(
                comments.c.created_at >= start,
                comments.c.created_at < end,
                comments.c.removed_at.is_(None),
                comment_visible_to(None, comments),
            ),
        ).subquery()
        like_count = func.sum(engaged.c.is_like)
        total = func.count()
        rows = await self._s.execute(
            select(engaged.c.post_id, like_count, total)
            .join(public_posts, public_posts.c.id == engaged.c.post_id)
            .where(public_posts.c.removed_at.is_(None), post_visible_to(None))
            .group_by(engaged.c.post_id)
            .order_by(total.desc(), like_count.desc(), engaged.c.post_id)
            .limit(limit)
        )
        return [
            TrendingPost(day, rank, post_id, int(n_likes), int(n_all) - int(n_likes))
            for rank, (post_id, n_likes, n_all) in enumerate(rows.all(), start=1)
        ]
