"""Job `analytics-rollup`: write one UTC day's aggregates (idempotent: a rerun replaces the
day's row). Without a day it rolls up yesterday (the job runs just after UTC midnight)."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
import structlog

from hypehere.application.analytics.ports import (
    ActivityCounts,
    DailyStatsRepository,
    VisitorCounter,
)
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.analytics.model import DailyStats
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RollupDayCommand(msgspec.Struct, frozen=True, kw_only=True):
    day: date | None = None


async def collect(day: date, visitors: VisitorCounter, activity: ActivityCounts) -> DailyStats:
    """The day's aggregates as they stand now (also the dashboard's live "today")."""
    seen, users = await visitors.count(day)
    return DailyStats(
        day=day,
        visitors=seen,
        active_users=users,
        new_users=await activity.new_users(day),
        posts=await activity.posts(day),
        comments=await activity.comments(day),
        messages=await activity.messages(day),
        matches=await activity.matches(day),
    )


class RollupDay:
    def __init__(
        self,
        uow: UnitOfWork,
        visitors: VisitorCounter,
        activity: ActivityCounts,
        stats: DailyStatsRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._visitors = visitors
        self._activity = activity
        self._stats = stats
        self._clock = clock

    async def execute(self, cmd: RollupDayCommand) -> DailyStats:
        day = cmd.day or (self._clock.now().date() - timedelta(days=1))
        async with self._uow:
            stats = await collect(day, self._visitors, self._activity)
            await self._stats.save(stats)
        logger.info("analytics_rolled_up", day=day.isoformat(), visitors=stats.visitors)
        return stats
