"""Staff: reopen a decided report (back to pending, at its place in the queue). A resolved
report's count against the reported user is undone (`UncountDismissedReport`); the action
taken (a removal, a suspension, a ban) stays until lifted by its own endpoint. 409
`report_exists` when the reporter has filed a newer open report on the same target."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.report_decision import ActOnReport, load_report, save_decision
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.application.moderation.report_queue import reporter_changed, reprioritize
from hypehere.application.moderation.report_views import ReportView
from hypehere.application.moderation.uncount_dismissed_report import (
    UncountDismissedReport,
    UncountDismissedReportCommand,
)
from hypehere.domain.moderation.errors import ReportExistsError
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReopenReportCommand(ActOnReport, frozen=True, kw_only=True):
    pass


class ReopenReport:
    def __init__(
        self,
        uow: UnitOfWork,
        reports: ReportRepository,
        uncount: UncountDismissedReport,
        audit: AuditLog,
        clock: Clock,
    ) -> None:
        self._audit = audit
        self._uow = uow
        self._reports = reports
        self._uncount = uncount
        self._clock = clock

    async def execute(self, cmd: ReopenReportCommand) -> ReportView:
        require_staff(cmd.actor)
        async with self._uow:
            report = await load_report(self._reports, cmd.report_id)
            if not report.is_open and await self._reports.open_exists(
                report.reporter_id, report.target_type, report.target_id
            ):
                raise ReportExistsError("The reporter has a newer open report on this target")
            now = self._clock.now()
            was_resolved = report.reopen(now)
            await save_decision(self._reports, self._audit, cmd.actor, report, "report_reopen", now)
            if was_resolved:
                await self._uncount.execute(
                    UncountDismissedReportCommand(
                        user_id=report.reported_user_id, report_id=report.id
                    )
                )
            await reprioritize(self._reports, report.target_type, report.target_id)
            await reporter_changed(self._reports, report.reporter_id)
            stored = await self._reports.get(report.id)
        logger.info("report_reopened", report_id=report.id, staff_id=cmd.actor.user_id)
        return ReportView.of(stored or report)
