"""`AccountAction` with the audit log and strikes: every staff action on an account
(suspend, unsuspend, ban, unban, set_role) appends an audit entry, and a suspension or ban
gives the user a strike, in the same transaction (the outer block here; the action's own
block joins it). Wired in place of `AccountAction`, so the account use cases stay as they
are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.session_control import SessionControl
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.application.moderation.audit_trail import record
from hypehere.application.moderation.ports import AccountSessions, ModeratedAccounts
from hypehere.application.moderation.strike_issuing import issue_strike
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.application.moderation.views import AccountView
from hypehere.domain.moderation.audit import AuditTarget
from hypehere.domain.moderation.strikes import StrikeAction
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.model import User

STRIKES = {"suspend": StrikeAction.SUSPENSION, "ban": StrikeAction.BAN}


def _detail(action: str, view: AccountView) -> str | None:
    if action == "set_role":
        return f"role={view.role}"
    if action == "suspend" and view.suspended_until is not None:
        return f"until={view.suspended_until.isoformat()}"
    return None


class AuditedAccountAction(AccountAction):
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: ModeratedAccounts,
        sessions: AccountSessions,
        outbox: OutboxWriter,
        control: SessionControl,
        clock: Clock,
        audit: AuditLog,
        strikes: StrikeRepository,
    ) -> None:
        super().__init__(uow, accounts, sessions, outbox, control, clock)
        self._audit_uow = uow
        self._audit = audit
        self._strikes = strikes

    async def run(
        self,
        actor: Actor,
        user_id: str,
        change: Callable[[User, datetime], None],
        *,
        action: str,
        **options: Any,
    ) -> AccountView:
        async with self._audit_uow:
            view = await super().run(actor, user_id, change, action=action, **options)
            reason = view.suspension_reason if action in ("suspend", "ban") else None
            await record(
                self._audit,
                actor,
                action,
                AuditTarget.USER,
                user_id,
                self.clock.now(),
                reason=reason,
                detail=_detail(action, view),
            )
            strike_action = STRIKES.get(action)
            if strike_action is not None:
                await issue_strike(
                    self._strikes,
                    self._outbox,
                    user_id=user_id,
                    action=strike_action,
                    issued_by=actor.user_id,
                    at=self.clock.now(),
                )
        return view
