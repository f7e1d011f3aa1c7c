"""Analytics module wiring: the visitor counter (Redis HyperLogLogs when Redis is configured,
else a set in process), the SQL activity log, daily rows and activity counts, the reader of
the aggregate tables (through the read-only role of `HYPEHERE_ANALYTICS_DATABASE_URL` when
it is set), the day summarizer (Claude with `HYPEHERE_ANTHROPIC_API_KEY`, else rules), the
use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from anthropic import AsyncAnthropic
from dishka import Provider, Scope, provide, provide_all
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.analytics.claude import ClaudeDaySummarizer
from hypehere.adapters.claude.calls import ClaudeCalls
from hypehere.adapters.memory.analytics import InMemoryVisitorCounter
from hypehere.adapters.redis.analytics import RedisVisitorCounter
from hypehere.adapters.sql.analytics.readers import SqlAnalyticsReader
from hypehere.adapters.sql.analytics.repositories import (
    SqlActivityCounts,
    SqlActivityLog,
    SqlDailyStats,
)
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.application.analytics.backfill import Backfill
from hypehere.application.analytics.generate_insights import (
    DaySummarizer,
    GenerateInsights,
    InsightsUnavailableError,
    RulesSummarizer,
)
from hypehere.application.analytics.get_dashboard import GetDashboard
from hypehere.application.analytics.list_insights import ListInsights
from hypehere.application.analytics.ports import (
    ActivityCounts,
    ActivityLog,
    AnalyticsReader,
    DailyStatsRepository,
    VisitorCounter,
)
from hypehere.application.analytics.read_chat_usage import ReadChatUsage
from hypehere.application.analytics.read_learning import ReadLearning
from hypehere.application.analytics.read_matching import ReadMatching
from hypehere.application.analytics.read_retention import ReadRetention
from hypehere.application.analytics.read_stats import ReadDailyStats
from hypehere.application.analytics.read_trending import ReadTrendingPosts
from hypehere.application.analytics.record_activity import RecordActivity
from hypehere.application.analytics.rollup_day import RollupDay
from hypehere.bootstrap.settings import Settings

READER_POOL_SIZE = 4


@dataclass(frozen=True)
class ReadOnlySessions:
    """Sessions of the analytics read-only role (None: read in the request's session)."""

    factory: async_sessionmaker[AsyncSession] | None


class AnalyticsProvider(Provider):
    @provide(scope=Scope.REQUEST)
    def daily_stats(self, session: AsyncSession) -> DailyStatsRepository:
        return SqlDailyStats(session)

    @provide(scope=Scope.REQUEST)
    def activity(self, session: AsyncSession) -> ActivityCounts:
        return SqlActivityCounts(session)

    @provide(scope=Scope.REQUEST)
    def activity_log(self, session: AsyncSession) -> ActivityLog:
        return SqlActivityLog(session)

    @provide(scope=Scope.APP)
    async def read_only(self, settings: Settings) -> AsyncIterator[ReadOnlySessions]:
        """A small engine of its own on the read-only role when `analytics_database_url` is
        set (PostgreSQL)."""
        if not settings.analytics_database_url:
            yield ReadOnlySessions(None)
            return
        engine = create_engine(settings.analytics_database_url, pool_size=READER_POOL_SIZE)
        try:
            yield ReadOnlySessions(create_session_factory(engine))
        finally:
            await engine.dispose()

    @provide(scope=Scope.REQUEST)
    async def reader(
        self, sessions: ReadOnlySessions, session: AsyncSession
    ) -> AsyncIterator[AnalyticsReader]:
        """The API's reads: in a read-only role's session, else in the request's (one
        connection per request: SQLite allows one transaction at a time)."""
        if sessions.factory is None:
            yield SqlAnalyticsReader(session)
            return
        async with sessions.factory() as own:
            yield SqlAnalyticsReader(own)

    @provide(scope=Scope.APP)
    async def summarizer(self, settings: Settings) -> AsyncIterator[DaySummarizer]:
        """Claude when `HYPEHERE_ANTHROPIC_API_KEY` is set, else the rules summary."""
        if not settings.anthropic_api_key:
            yield RulesSummarizer()
            return
        client = AsyncAnthropic(
            api_key=settings.anthropic_api_key.get_secret_value(), max_retries=0
        )
        try:
            yield ClaudeDaySummarizer(
                client,
                settings.anthropic_model,
                ClaudeCalls("The Claude summarizer", InsightsUnavailableError),
                timeout=settings.anthropic_timeout_seconds,
            )
        finally:
            await client.close()

    use_cases = provide_all(
        RecordActivity,
        RollupDay,
        Backfill,
        GenerateInsights,
        ListInsights,
        ReadDailyStats,
        ReadMatching,
        ReadLearning,
        ReadRetention,
        ReadChatUsage,
        ReadTrendingPosts,
        GetDashboard,
        scope=Scope.REQUEST,
    )


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
