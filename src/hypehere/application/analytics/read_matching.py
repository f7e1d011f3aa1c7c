"""`GET /analytics/matching`: anonymous-chat usage per day and language pair (matches,
wait-time p50/p90, ended chats, duration p50/p90, reveals)."""

from __future__ import annotations

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.analytics.read_stats import ReadDailyStatsCommand, resolve_range
from hypehere.domain.analytics.activity import MatchingDay
from hypehere.domain.shared.clock import Clock


class ReadMatching:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadDailyStatsCommand) -> list[MatchingDay]:
        return await self._reader.matching(*resolve_range(cmd, self._clock))
