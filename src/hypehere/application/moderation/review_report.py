"""Staff: take an open report (pending -> reviewing, assigned to me); audited."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.report_decision import load_report
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.application.moderation.report_views import ReportView
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReviewReportCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    report_id: str


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
            await self._reports.save(report)
            await record(
                self._audit, cmd.actor, "report_review", AuditTarget.REPORT, report.id, now
            )
        logger.info("report_reviewing", report_id=report.id, staff_id=cmd.actor.user_id)
        return ReportView.of(report)
