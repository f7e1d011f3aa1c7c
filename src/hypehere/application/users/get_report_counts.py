"""For moderation: a user's `report_count` and `active_report_count` (last 30 days)."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.ports import UserCounters
from hypehere.domain.users.rules import ACTIVE_REPORT_WINDOW_DAYS


class ReportCounts(msgspec.Struct, frozen=True):
    report_count: int
    active_report_count: int


class GetReportCounts:
    def __init__(self, uow: UnitOfWork, counters: UserCounters, clock: Clock) -> None:
        self._uow = uow
        self._counters = counters
        self._clock = clock

    async def execute(self, user_id: str) -> ReportCounts:
        since = self._clock.now() - timedelta(days=ACTIVE_REPORT_WINDOW_DAYS)
        async with self._uow:
            total, active = await self._counters.report_counts(user_id, since)
        return ReportCounts(report_count=total, active_report_count=active)
