"""The shape every staff action on an account shares: check the actor is staff (an admin
for `admin_only` actions such as role changes), load the account, check the actor may act
on it (never on themselves, only on a strictly lower role: `ensure_may_manage`), apply the
aggregate's own transition, save, optionally end its sessions (refresh tokens revoked,
access tokens refused from now on, and after the commit `SessionsRevoked` (4403) is
published for its live sockets), stage its events in the outbox (same transaction), log
who did what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.session_control import CLOSE_NOT_ALLOWED, SessionControl
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import AccountSessions, ModeratedAccounts
from hypehere.application.moderation.views import AccountView
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import UserNotFoundError
from hypehere.domain.users.model import User, UserRole, ensure_may_manage

logger = structlog.get_logger(__name__)


class AccountAction:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: ModeratedAccounts,
        sessions: AccountSessions,
        outbox: OutboxWriter,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._accounts = accounts
        self._sessions = sessions
        self._outbox = outbox
        self._control = control
        self.clock = clock

    async def run(
        self,
        actor: Actor,
        user_id: str,
        change: Callable[[User, datetime], None],
        *,
        action: str,
        end_sessions: bool = False,
        admin_only: bool = False,
        granted: UserRole | None = None,
    ) -> AccountView:
        require_staff(actor, admin=admin_only)
        async with self._uow:
            user = await self._accounts.get(user_id)
            if user is None:
                raise UserNotFoundError("The user was not found")
            ensure_may_manage(actor.user_id, UserRole(actor.role.value), user, granted)
            now = self.clock.now()
            change(user, now)
            if end_sessions:
                user.revoke_tokens(now)
            await self._accounts.save(user)
            if end_sessions:
                await self._sessions.revoke_all_for_user(user.id, now)
                self._control.revoke_after_commit(
                    self._uow,
                    user.id,
                    SessionsRevoked(reason=action, close_code=CLOSE_NOT_ALLOWED),
                )
            else:
                # a role change or a lifted suspension/ban: every process re-reads it
                self._control.status_changed_after_commit(self._uow, user.id)
            await stage_events(self._outbox, user.events)
        logger.info("account_moderated", action=action, user_id=user_id, staff_id=actor.user_id)
        return AccountView.of(user)


class ActsOnAccount:
    """Base of the account use cases (suspend, unsuspend, ban, unban, set_role): each states
    its change and runs it through the one `AccountAction`."""

    def __init__(self, action: AccountAction) -> None:
        self._action = action
