"""`AnalyticsReader`: the API's reads of the aggregate tables only (never the activity log
or another module's tables), in the session it is given: on PostgreSQL a session of the
read-only role's engine when `HYPEHERE_ANALYTICS_DATABASE_URL` is set, else the request's
(bootstrap/providers/analytics.py)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.analytics.tables import (
    ActivityEventRow,
    CohortRow,
    DailyStatsRow,
    InsightRow,
    LearningDayRow,
    MatchingDayRow,
    TrendingPostRow,
)
from hypehere.domain.analytics.activity import Cohort, LearningDay, MatchingDay, TrendingPost
from hypehere.domain.analytics.insights import Insight
from hypehere.domain.analytics.model import DailyStats

daily: Any = DailyStatsRow.__table__  # type: ignore[attr-defined]
matching: Any = MatchingDayRow.__table__  # type: ignore[attr-defined]
learning: Any = LearningDayRow.__table__  # type: ignore[attr-defined]
cohorts: Any = CohortRow.__table__  # type: ignore[attr-defined]
insights: Any = InsightRow.__table__  # type: ignore[attr-defined]
events: Any = ActivityEventRow.__table__  # type: ignore[attr-defined]
trending: Any = TrendingPostRow.__table__  # type: ignore[attr-defined]

_DAILY = [f.name for f in fields(DailyStats)]
_MATCHING = [f.name for f in fields(MatchingDay)]
_LEARNING = [f.name for f in fields(LearningDay)]
_COHORT = [f.name for f in fields(Cohort)]
_TRENDING = [f.name for f in fields(TrendingPost)]


def daily_columns() -> list[Any]:
    return [daily.c[name] for name in _DAILY]


def daily_from_row(row: Any) -> DailyStats:
    return DailyStats(**{name: row._mapping[name] for name in _DAILY})


def cohort_from_row(row: Any) -> Cohort:
    return Cohort(**{name: row._mapping[name] for name in _COHORT})


def _in_range(table: Any, columns: list[str], start: date, end: date) -> Select[Any]:
    return (
        select(*(table.c[name] for name in columns))
        .where(table.c.day >= start, table.c.day <= end)
        .order_by(*(table.c[name] for name in columns[:2]))
    )


class SqlAnalyticsReader:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _rows(self, query: Select[Any]) -> list[Any]:
        return list((await self._s.execute(query)).all())

    async def daily(self, start: date, end: date) -> list[DailyStats]:
        return [daily_from_row(r) for r in await self._rows(_in_range(daily, _DAILY, start, end))]

    async def matching(self, start: date, end: date) -> list[MatchingDay]:
        rows = await self._rows(_in_range(matching, _MATCHING, start, end))
        return [MatchingDay(*row) for row in rows]

    async def learning(self, start: date, end: date) -> list[LearningDay]:
        rows = await self._rows(_in_range(learning, _LEARNING, start, end))
        return [LearningDay(*row) for row in rows]

    async def cohorts(self, start: date, end: date) -> list[Cohort]:
        rows = await self._rows(_in_range(cohorts, _COHORT, start, end))
        return [cohort_from_row(row) for row in rows]

    async def trending(self, start: date, end: date) -> list[TrendingPost]:
        rows = await self._rows(_in_range(trending, _TRENDING, start, end))
        return [TrendingPost(*row) for row in rows]

    async def insights(self, limit: int) -> list[Insight]:
        rows = await self._rows(
            select(insights.c.day, insights.c.summary, insights.c.source, insights.c.model)
            .add_columns(insights.c.created_at)
            .order_by(insights.c.day.desc())
            .limit(limit)
        )
        return [Insight(*row) for row in rows]
