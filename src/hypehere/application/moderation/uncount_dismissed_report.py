"""An earlier resolved report was dismissed -> uncount it (report_count -1). Idempotent per
report; a report that was never counted changes nothing."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import ReportCounters


class UncountDismissedReportCommand(msgspec.Struct, frozen=True):
    user_id: str
    report_id: str


class UncountDismissedReport:
    def __init__(self, uow: UnitOfWork, reports: ReportCounters) -> None:
        self._uow = uow
        self._reports = reports

    async def execute(self, cmd: UncountDismissedReportCommand) -> bool:
        """True when a counted report was removed."""
        async with self._uow:
            return await self._reports.unmark_report(cmd.user_id, cmd.report_id)
