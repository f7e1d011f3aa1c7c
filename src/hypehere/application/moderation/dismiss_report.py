"""Staff: dismiss an open report, or an earlier resolved one (then its count against the
reported user is undone: `UncountDismissedReport`). Same transaction, audited."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.report_decision import (
    ActOnReport,
    announce_decision,
    clean_note,
    load_report,
    save_decision,
)
from hypehere.application.moderation.report_ports import ReportRepository
from hypehere.application.moderation.report_queue import reporter_changed, reprioritize
from hypehere.application.moderation.report_views import ReportView
from hypehere.application.moderation.uncount_dismissed_report import (
    UncountDismissedReport,
    UncountDismissedReportCommand,
)
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class DismissReportCommand(ActOnReport, frozen=True, kw_only=True):
    note: str


class DismissReport:
    def __init__(
        self,
        uow: UnitOfWork,
        reports: ReportRepository,
        uncount: UncountDismissedReport,
        audit: AuditLog,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._audit = audit
        self._uow = uow
        self._reports = reports
        self._uncount = uncount
        self._clock = clock

    async def execute(self, cmd: DismissReportCommand) -> ReportView:
        require_staff(cmd.actor)
        note = clean_note(cmd.note)
        async with self._uow:
            report = await load_report(self._reports, cmd.report_id)
            now = self._clock.now()
            was_resolved = report.dismiss(cmd.actor.user_id, note, now)
            await save_decision(
                self._reports, self._audit, cmd.actor, report, "report_dismiss", now, reason=note
            )
            await announce_decision(self._outbox, report, now)
            if was_resolved:
                await self._uncount.execute(
                    UncountDismissedReportCommand(
                        user_id=report.reported_user_id, report_id=report.id
                    )
                )
            await reprioritize(self._reports, report.target_type, report.target_id)
            await reporter_changed(self._reports, report.reporter_id)
        logger.info(
            "report_dismissed",
            report_id=report.id,
            was_resolved=was_resolved,
            staff_id=cmd.actor.user_id,
        )
        return ReportView.of(report)
