"""`GET /analytics/daily-users` and `GET /analytics/user-growth`: the stored daily rows of a
date range (analysts and staff). A day the rollup has not written is absent."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec

from hypehere.application.analytics.access import require_analytics_reader
from hypehere.application.analytics.ports import AnalyticsReader
from hypehere.application.common.actor import Actor
from hypehere.domain.analytics.model import DailyStats, checked_range
from hypehere.domain.shared.clock import Clock

DEFAULT_DAYS = 30


class ReadDailyStatsCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    start: date | None = None
    end: date | None = None


def resolve_range(cmd: ReadDailyStatsCommand, clock: Clock) -> tuple[date, date]:
    """The requested days after the access check: by default the 30 days ending today."""
    require_analytics_reader(cmd.actor)
    end = cmd.end or clock.now().date()
    start = cmd.start or end - timedelta(days=DEFAULT_DAYS - 1)
    return checked_range(start, end)


class ReadDailyStats:
    def __init__(self, reader: AnalyticsReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: ReadDailyStatsCommand) -> list[DailyStats]:
        return await self._reader.daily(*resolve_range(cmd, self._clock))
