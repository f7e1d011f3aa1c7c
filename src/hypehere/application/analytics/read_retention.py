"""`GET /analytics/retention`: day 1/7/30 retention per sign-up cohort (cohorts by sign-up
day in the range)."""

from __future__ import annotations

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.analytics.read_stats import ReadDailyStatsCommand, resolve_range
from hypehere.domain.analytics.activity import Cohort
from hypehere.domain.shared.clock import Clock


class ReadRetention:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadDailyStatsCommand) -> list[Cohort]:
        return await self._reader.cohorts(*resolve_range(cmd, self._clock))
