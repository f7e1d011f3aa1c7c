"""Staff: take an open report (pending -> reviewing, assigned to me); audited."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.report_decision import ActOnReport, load_report, save_decision
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.application.moderation.report_views import ReportView
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReviewReportCommand(ActOnReport, frozen=True, kw_only=True):
    pass


class ReviewReport:
    def __init__(
        self, uow: UnitOfWork, reports: ReportRepository, audit: AuditLog, clock: Clock
    ) -> None:
        self._uow = uow
        self._reports = reports
        self._audit = audit
        self._clock = clock

    async def execute(self, cmd: ReviewReportCommand) -> ReportView:
        require_staff(cmd.actor)
        async with self._uow:
            report = await load_report(self._reports, cmd.report_id)
            now = self._clock.now()
            report.review(cmd.actor.user_id, now)
            await save_decision(self._reports, self._audit, cmd.actor, report, "report_review", now)
        logger.info("report_reviewing", report_id=report.id, staff_id=cmd.actor.user_id)
        return ReportView.of(report)
