"""`GET /analytics/chat-usage?granularity=daily|weekly`: messages, matches, ended anonymous
chats and reveals per day, or per ISO week (Monday first; sums of the stored days)."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.analytics.read_stats import ReadDailyStatsCommand, resolve_range
from hypehere.domain.analytics.model import InvalidGranularityError
from hypehere.domain.shared.clock import Clock

GRANULARITIES = ("daily", "weekly")


class ReadChatUsageCommand(ReadDailyStatsCommand, frozen=True, kw_only=True):
    granularity: str = "daily"


class ChatUsage(msgspec.Struct, frozen=True):
    start: date  # the day, or the Monday of the week
    messages: int
    matches: int
    anonymous_chats: int
    reveals: int


class ReadChatUsage:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadChatUsageCommand) -> list[ChatUsage]:
        if cmd.granularity not in GRANULARITIES:
            raise InvalidGranularityError("granularity is daily or weekly")
        start, end = resolve_range(cmd, self._clock)
        reveals: dict[date, int] = {}
        for row in await self._reader.matching(start, end):
            reveals[row.day] = reveals.get(row.day, 0) + row.reveals
        buckets: dict[date, list[int]] = {}
        for day in await self._reader.daily(start, end):
            key = day.day
            if cmd.granularity == "weekly":
                key = day.day - timedelta(days=day.day.weekday())
            sums = buckets.setdefault(key, [0, 0, 0, 0])
            for i, value in enumerate(
                (day.messages, day.matches, day.anonymous_chats, reveals.get(day.day, 0))
            ):
                sums[i] += value
        return [ChatUsage(key, *sums) for key, sums in sorted(buckets.items())]
