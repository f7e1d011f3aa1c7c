"""`GET /analytics/learning`: lessons completed, reviews and corrections per day and
language pair (native, target)."""

from __future__ import annotations

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.analytics.read_stats import ReadDailyStatsCommand, resolve_range
from hypehere.domain.analytics.activity import LearningDay
from hypehere.domain.shared.clock import Clock


class ReadLearning:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadDailyStatsCommand) -> list[LearningDay]:
        return await self._reader.learning(*resolve_range(cmd, self._clock))
