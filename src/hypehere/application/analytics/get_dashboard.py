"""`GET /admin/dashboard` (staff): today's figures, live (visitors from the counter, the
rest counted now), the reports open now, and the last 14 stored days."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.analytics.ports import (
    ActivityCounts,
    ActivityLog,
    AnalyticsReader,
    VisitorCounter,
)
from hypehere.application.analytics.rollup_day import collect
from hypehere.application.common.actor import Actor, require_staff
from hypehere.domain.analytics.model import DailyStats
from hypehere.domain.shared.clock import Clock

HISTORY_DAYS = 14


class GetDashboardCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    today: DailyStats
    open_reports: int
    history: list[DailyStats]


class GetDashboard:
    def __init__(
        self,
        visitors: VisitorCounter,
        activity: ActivityCounts,
        log: ActivityLog,
        reader: AnalyticsReader,
        clock: Clock,
    ) -> None:
        self._visitors = visitors
        self._activity = activity
        self._log = log
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: GetDashboardCommand) -> Dashboard:
        require_staff(cmd.actor)
        today = self._clock.now().date()
        history = await self._reader.daily(today - timedelta(days=HISTORY_DAYS), today)
        return Dashboard(
            today=await collect(today, self._visitors, self._activity, self._log),
            open_reports=await self._activity.open_reports(),
            history=[row for row in history if row.day < today][-HISTORY_DAYS:],
        )
