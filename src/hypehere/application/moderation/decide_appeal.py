"""Staff: uphold or overturn a pending appeal, by a staff member other than the one who
issued the strike (403 `same_moderator`). Overturning lifts the enforcement in the same
transaction: a removed post or comment is restored (`ContentRestoration`), a running
suspension or ban is lifted (`UnsuspendUser` / `UnbanUser`), and the report behind the
strike stops counting against the user (`UncountDismissedReport`). Audited."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.ports import ModeratedAccounts
from hypehere.application.moderation.report_decision import clean_note
from hypehere.application.moderation.strike_ports import ContentRestoration, StrikeRepository
from hypehere.application.moderation.strike_views import StrikeView
from hypehere.application.moderation.unban_user import UnbanUser, UnbanUserCommand
from hypehere.application.moderation.uncount_dismissed_report import (
    UncountDismissedReport,
    UncountDismissedReportCommand,
)
from hypehere.application.moderation.unsuspend_user import UnsuspendUser, UnsuspendUserCommand
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.moderation.errors import AppealNotFoundError
from hypehere.domain.moderation.events import AppealDecided
from hypehere.domain.moderation.strikes import Strike, StrikeAction
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.model import AccountState

logger = structlog.get_logger(__name__)


class DecideAppealCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    appeal_id: str
    overturn: bool
    note: str


class DecideAppeal:
    def __init__(
        self,
        uow: UnitOfWork,
        strikes: StrikeRepository,
        accounts: ModeratedAccounts,
        restoration: ContentRestoration,
        unsuspend: UnsuspendUser,
        unban: UnbanUser,
        uncount: UncountDismissedReport,
        audit: AuditLog,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._uow = uow
        self._strikes = strikes
        self._accounts = accounts
        self._restoration = restoration
        self._unsuspend = unsuspend
        self._unban = unban
        self._uncount = uncount
        self._audit = audit
        self._clock = clock

    async def execute(self, cmd: DecideAppealCommand) -> StrikeView:
        require_staff(cmd.actor)
        note = clean_note(cmd.note)
        async with self._uow:
            strike = await self._strikes.by_appeal(cmd.appeal_id)
            if strike is None:
                raise AppealNotFoundError("The appeal was not found")
            now = self._clock.now()
            strike.decide_appeal(cmd.actor.user_id, cmd.overturn, note, now)
            await self._strikes.save(strike)
            if cmd.overturn:
                await self._lift(cmd.actor, strike)
            await self._outbox.add(
                AppealDecided(
                    occurred_at=now,
                    appeal_id=cmd.appeal_id,
                    strike_id=strike.id,
                    user_id=strike.user_id,
                    overturned=cmd.overturn,
                )
            )
            await record(
                self._audit,
                cmd.actor,
                "appeal_overturn" if cmd.overturn else "appeal_uphold",
                AuditTarget.APPEAL,
                cmd.appeal_id,
                now,
                reason=note,
                detail=f"strike={strike.id}",
            )
        logger.info(
            "appeal_decided",
            appeal_id=cmd.appeal_id,
            overturned=cmd.overturn,
            staff_id=cmd.actor.user_id,
        )
        return StrikeView.of(strike)

    async def _lift(self, actor: Actor, strike: Strike) -> None:
        if strike.action is StrikeAction.CONTENT_REMOVED and strike.content_id:
            await self._restoration.restore(actor, strike.content_type or "", strike.content_id)
        elif strike.action in (StrikeAction.SUSPENSION, StrikeAction.BAN):
            # only the enforcement this strike stands for, and only while it runs
            account = await self._accounts.get(strike.user_id)
            state = account.state if account is not None else None
            if strike.action is StrikeAction.SUSPENSION and state is AccountState.SUSPENDED:
                await self._unsuspend.execute(
                    UnsuspendUserCommand(actor=actor, user_id=strike.user_id)
                )
            elif strike.action is StrikeAction.BAN and state is AccountState.BANNED:
                await self._unban.execute(UnbanUserCommand(actor=actor, user_id=strike.user_id))
        if strike.report_id is not None:
            await self._uncount.execute(
                UncountDismissedReportCommand(user_id=strike.user_id, report_id=strike.report_id)
            )
