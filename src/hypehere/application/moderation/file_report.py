"""A member reports a post, comment, user or chat message (rate limited at the entry
point). The target must exist and be visible to the reporter; nobody reports themselves;
one open report per reporter and target (`report_exists`)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.report_ports import ReportRepository, ReportTargets
from hypehere.application.moderation.report_queue import reprioritize
from hypehere.application.moderation.report_views import ReportView
from hypehere.domain.moderation.errors import (
    ReportExistsError,
    ReportTargetNotFoundError,
    SelfReportError,
)
from hypehere.domain.moderation.events import ReportFiled
from hypehere.domain.moderation.model import REPORTABLE, Report, ReportReason, ReportTargetType
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)

MAX_DETAILS = 2000


class FileReportCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    target_type: str
    target_id: str
    reason: str
    details: str | None = None


class FileReport:
    def __init__(
        self,
        uow: UnitOfWork,
        reports: ReportRepository,
        targets: ReportTargets,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reports = reports
        self._targets = targets
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: FileReportCommand) -> ReportView:
        target_type = parse_choice(ReportTargetType, cmd.target_type, "target_type")
        if target_type not in REPORTABLE:
            raise InvalidInputError(
                f"target_type must be one of {', '.join(sorted(REPORTABLE))}",
                field="target_type",
            )
        reason = parse_choice(ReportReason, cmd.reason, "reason")
        details = (cmd.details or "").strip() or None
        if details is not None and len(details) > MAX_DETAILS:
            raise InvalidInputError(
                f"details must have at most {MAX_DETAILS} characters", field="details"
            )
        now = self._clock.now()
        async with self._uow:
            target = await self._targets.locate(cmd.actor, target_type, cmd.target_id)
            if target is None:
                raise ReportTargetNotFoundError("The reported item was not found")
            if target.owner_id == cmd.actor.user_id:
                raise SelfReportError("You cannot report yourself or your own content")
            if await self._reports.open_exists(cmd.actor.user_id, target_type, cmd.target_id):
                raise ReportExistsError("You already reported this")
            report = Report(
                id=new_id(),
                reporter_id=cmd.actor.user_id,
                target_type=target_type,
                target_id=cmd.target_id,
                reported_user_id=target.owner_id,
                reason=reason,
                details=details,
                excerpt=target.excerpt or None,
                transcript=target.transcript,
                created_at=now,
                updated_at=now,
            )
            try:
                await self._reports.add(report)
            except StorageConflictError as exc:  # a concurrent twin won the unique key
                raise ReportExistsError("You already reported this") from exc
            await reprioritize(self._reports, target_type, cmd.target_id)
            await self._outbox.add(
                ReportFiled(
                    occurred_at=now,
                    report_id=report.id,
                    reporter_id=cmd.actor.user_id,
                    target_type=target_type.value,
                )
            )
            stored = await self._reports.get(report.id)
        logger.info(
            "report_filed",
            report_id=report.id,
            target_type=target_type.value,
            reason=reason.value,
            reporter_id=cmd.actor.user_id,
        )
        return ReportView.of(stored or report)
