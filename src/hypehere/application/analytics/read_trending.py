"""`GET /analytics/trending-posts`: each day's ten most engaged-with posts (likes and
comments made that day; post ids and counts only)."""

from __future__ import annotations

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.analytics.read_stats import ReadDailyStatsCommand, resolve_range
from hypehere.domain.analytics.activity import TrendingPost
from hypehere.domain.shared.clock import Clock


class ReadTrendingPosts:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadDailyStatsCommand) -> list[TrendingPost]:
        return await self._reader.trending(*resolve_range(cmd, self._clock))
