"""Analytics module wiring: the visitor counter (Redis HyperLogLogs when Redis is configured,
else a set in process), the SQL daily rows and activity counts, the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.analytics import InMemoryVisitorCounter
from hypehere.adapters.redis.analytics import RedisVisitorCounter
from hypehere.adapters.sql.analytics.repositories import SqlActivityCounts, SqlDailyStats
from hypehere.application.analytics.get_dashboard import GetDashboard
from hypehere.application.analytics.ports import (
    ActivityCounts,
    DailyStatsRepository,
    VisitorCounter,
)
from hypehere.application.analytics.read_stats import ReadDailyStats
from hypehere.application.analytics.rollup_day import RollupDay
from hypehere.bootstrap.settings import Settings


class AnalyticsProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def daily_stats(self, session: AsyncSession) -> DailyStatsRepository:
        return SqlDailyStats(session)

    @provide(scope=Scope.REQUEST)
    def activity(self, session: AsyncSession) -> ActivityCounts:
        return SqlActivityCounts(session)

    use_cases = provide_all(RollupDay, ReadDailyStats, GetDashboard, scope=Scope.REQUEST)


class RedisVisitorsProvider(Provider):
    @provide(scope=Scope.APP)
    def visitors(self, redis: Redis) -> VisitorCounter:
        return RedisVisitorCounter(redis)


class InProcessVisitorsProvider(Provider):
    @provide(scope=Scope.APP)
    def visitors(self) -> VisitorCounter:
        return InMemoryVisitorCounter()


def analytics_providers(settings: Settings) -> list[Provider]:
    counter = RedisVisitorsProvider() if settings.redis_url else InProcessVisitorsProvider()
    return [AnalyticsProvider(), counter]
