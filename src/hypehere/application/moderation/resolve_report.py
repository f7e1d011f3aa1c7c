"""Staff: resolve an open report with an action, in ONE transaction with everything it
does: the action through the existing use cases (`remove_content`: the owner module's
removal through the `ContentRemoval` port, for posts, comments and direct messages;
`suspend` / `ban`: `SuspendUser` / `BanUser` on the reported user; `warn` and `none`
change no account), the report's count against
the reported user (`CountResolvedReport`), and the queue priority of the target's other
open reports (the reporter's record changed). Audited: the decision, and the removal or
account action it took."""

from __future__ import annotations

import structlog

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.ban_user import BanUser, BanUserCommand
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.count_resolved_report import (
    CountResolvedReport,
    CountResolvedReportCommand,
)
from hypehere.application.moderation.remove_content import audit_removal
from hypehere.application.moderation.report_decision import (
    ActOnReport,
    announce_decision,
    clean_note,
    load_report,
    save_decision,
)
from hypehere.application.moderation.report_ports import ContentRemoval, ReportRepository
from hypehere.application.moderation.report_queue import reporter_changed, reprioritize
from hypehere.application.moderation.report_views import ReportView
from hypehere.application.moderation.strike_issuing import issue_strike
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.application.moderation.suspend_user import (
    MAX_SUSPENSION_DAYS,
    SuspendUser,
    SuspendUserCommand,
)
from hypehere.domain.moderation.errors import ActionNotApplicableError, ReportStateError
from hypehere.domain.moderation.model import Report, ReportTargetType, ResolveAction
from hypehere.domain.moderation.strikes import StrikeAction
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError

logger = structlog.get_logger(__name__)

REMOVABLE = frozenset({ReportTargetType.POST, ReportTargetType.COMMENT, ReportTargetType.MESSAGE})


class ResolveReportCommand(ActOnReport, frozen=True, kw_only=True):
    action: str
    note: str
    suspend_days: int | None = None


class ResolveReport:
    def __init__(
        self,
        uow: UnitOfWork,
        reports: ReportRepository,
        content: ContentRemoval,
        suspend: SuspendUser,
        ban: BanUser,
        count: CountResolvedReport,
        audit: AuditLog,
        strikes: StrikeRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._audit = audit
        self._strikes = strikes
        self._uow = uow
        self._reports = reports
        self._content = content
        self._suspend = suspend
        self._ban = ban
        self._count = count
        self._clock = clock

    async def execute(self, cmd: ResolveReportCommand) -> ReportView:
        require_staff(cmd.actor)
        action = parse_choice(ResolveAction, cmd.action, "action")
        note = clean_note(cmd.note)
        if action is ResolveAction.SUSPEND:
            if cmd.suspend_days is None or not 1 <= cmd.suspend_days <= MAX_SUSPENSION_DAYS:
                raise InvalidInputError(
                    f"suspend_days (1..{MAX_SUSPENSION_DAYS}) is required to suspend",
                    field="suspend_days",
                )
        elif cmd.suspend_days is not None:
            raise InvalidInputError("suspend_days goes only with suspend", field="suspend_days")
        async with self._uow:
            report = await load_report(self._reports, cmd.report_id)
            if not report.is_open:
                raise ReportStateError("Only an open report can be resolved")
            await self._apply(cmd.actor, action, report, note, cmd.suspend_days)
            now = self._clock.now()
            report.resolve(cmd.actor.user_id, action, note, now)
            await save_decision(
                self._reports,
                self._audit,
                cmd.actor,
                report,
                "report_resolve",
                now,
                reason=note,
                detail=f"action={action.value}",
            )
            await announce_decision(self._outbox, report, now)
            await self._count.execute(
                CountResolvedReportCommand(user_id=report.reported_user_id, report_id=report.id)
            )
            await reprioritize(self._reports, report.target_type, report.target_id)
            await reporter_changed(self._reports, report.reporter_id)
        logger.info(
            "report_resolved",
            report_id=report.id,
            action=action.value,
            staff_id=cmd.actor.user_id,
        )
        return ReportView.of(report)

    async def _apply(
        self,
        actor: Actor,
        action: ResolveAction,
        report: Report,
        note: str,
        suspend_days: int | None,
    ) -> None:
        if action is ResolveAction.REMOVE_CONTENT:
            if report.target_type not in REMOVABLE:
                raise ActionNotApplicableError(
                    "remove_content applies to reported posts, comments and messages"
                )
            if await self._content.remove(actor, report.target_type, report.target_id):
                await audit_removal(
                    self._audit, actor, report.target_type, report.target_id, self._clock, note
                )
                await self._strike(actor, report, StrikeAction.CONTENT_REMOVED)
        elif action is ResolveAction.WARN:
            await self._strike(actor, report, StrikeAction.WARNING)
        elif action is ResolveAction.SUSPEND:
            await self._suspend.execute(
                SuspendUserCommand(
                    actor=actor, user_id=report.reported_user_id, days=suspend_days, reason=note
                )
            )
            await self._link_account_strike(report)
        elif action is ResolveAction.BAN:
            await self._ban.execute(
                BanUserCommand(actor=actor, user_id=report.reported_user_id, reason=note)
            )
            await self._link_account_strike(report)

    async def _strike(self, actor: Actor, report: Report, action: StrikeAction) -> None:
        removed = action is StrikeAction.CONTENT_REMOVED
        await issue_strike(
            self._strikes,
            self._outbox,
            user_id=report.reported_user_id,
            action=action,
            issued_by=actor.user_id,
            at=self._clock.now(),
            reason=report.reason.value,
            excerpt=report.excerpt,
            content_type=report.target_type.value if removed else None,
            content_id=report.target_id if removed else None,
            report_id=report.id,
        )

    async def _link_account_strike(self, report: Report) -> None:
        """The account action gave its strike (`AuditedAccountAction`, just now, in this
        transaction): tie it to the report, its reason and excerpt."""
        latest = await self._strikes.for_user(report.reported_user_id)
        if latest:
            strike = latest[0]
            strike.reason = report.reason.value
            strike.excerpt = report.excerpt
            strike.report_id = report.id
            await self._strikes.save(strike)
