"""A user's `report_count` and `active_report_count` (reports counted in the last 30 days)."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import ReportCounters
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.rules import ACTIVE_REPORT_WINDOW_DAYS


class GetReportCountsCommand(msgspec.Struct, frozen=True):
    user_id: str


class GetReportCountsResult(msgspec.Struct, frozen=True):
    report_count: int
    active_report_count: int


class GetReportCounts:
    def __init__(self, uow: UnitOfWork, reports: ReportCounters, clock: Clock) -> None:
        self._uow = uow
        self._reports = reports
        self._clock = clock

    async def execute(self, cmd: GetReportCountsCommand) -> GetReportCountsResult:
        since = self._clock.now() - timedelta(days=ACTIVE_REPORT_WINDOW_DAYS)
        async with self._uow:
            total, active = await self._reports.report_counts(cmd.user_id, since)
        return GetReportCountsResult(report_count=total, active_report_count=active)
