"""Job `daily-insights`: a short staff-only summary of one day's stored aggregates (by
default yesterday's, after the rollup). The summarizer gets the figures only, never
anything a user wrote: Claude when configured, else the rules in
`domain/analytics/insights.py`; when Claude fails the rules summary is stored instead, so
the day always has one. A rerun replaces the day's summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

import msgspec
import structlog

from hypehere.application.analytics.ports import DailyStatsRepository
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.analytics.insights import MAX_SUMMARY, Insight, rules_summary
from hypehere.domain.analytics.model import DailyStats
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class InsightsUnavailableError(Exception):
    """The summarizer could not answer (down, rate limited, malformed reply)."""


class Summary(msgspec.Struct, frozen=True):
    text: str
    source: str
    model: str | None = None


class DaySummarizer(Protocol):
    async def summarize(self, day: DailyStats, previous: DailyStats | None) -> Summary: ...


class RulesSummarizer:
    """The summarizer without an API key."""

    async def summarize(self, day: DailyStats, previous: DailyStats | None) -> Summary:
        return Summary(rules_summary(day, previous), "rules")


class NoAggregatesError(Exception):
    """The day has not been rolled up."""


class GenerateInsightsCommand(msgspec.Struct, frozen=True, kw_only=True):
    day: date | None = None


class GenerateInsights:
    def __init__(
        self,
        uow: UnitOfWork,
        stats: DailyStatsRepository,
        summarizer: DaySummarizer,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._stats = stats
        self._summarizer = summarizer
        self._clock = clock

    async def execute(self, cmd: GenerateInsightsCommand) -> Insight:
        day = cmd.day or (self._clock.now().date() - timedelta(days=1))
        async with self._uow:
            rows = await self._stats.between(day - timedelta(days=1), day)
        current = next((row for row in rows if row.day == day), None)
        if current is None:
            raise NoAggregatesError(f"{day.isoformat()} has not been rolled up")
        previous = next((row for row in rows if row.day < day), None)
        try:
            summary = await self._summarizer.summarize(current, previous)
        except InsightsUnavailableError as exc:
            logger.warning("insights_fell_back_to_rules", day=day.isoformat(), error=str(exc))
            summary = await RulesSummarizer().summarize(current, previous)
        insight = Insight(
            day, summary.text[:MAX_SUMMARY], summary.source, summary.model, self._clock.now()
        )
        async with self._uow:
            await self._stats.save_insight(insight)
        logger.info("insights_written", day=day.isoformat(), source=summary.source)
        return insight
