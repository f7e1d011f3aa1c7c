"""The shape every staff action on an account shares: check the actor is staff, load the
account, apply the aggregate's own transition, save, optionally end its sessions, stage its
events in the outbox (same transaction), log who did what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.ports import AccountSessions, ModeratedAccounts
from hypehere.application.moderation.views import AccountView
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import StaffOnlyError, UserNotFoundError
from hypehere.domain.users.model import User

logger = structlog.get_logger(__name__)


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise StaffOnlyError("Only staff can do this")


async def stage_events(outbox: OutboxWriter, user: User) -> None:
    """Move the account's recorded events (`users.state_changed`) to the outbox."""
    for event in user.events:
        await outbox.add(event)
    user.events.clear()


class AccountAction:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: ModeratedAccounts,
        sessions: AccountSessions,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._accounts = accounts
        self._sessions = sessions
        self._outbox = outbox
        self.clock = clock

    async def run(
        self,
        actor: Actor,
        user_id: str,
        change: Callable[[User, datetime], None],
        *,
        action: str,
        end_sessions: bool = False,
    ) -> AccountView:
        require_staff(actor)
        async with self._uow:
            user = await self._accounts.get(user_id)
            if user is None:
                raise UserNotFoundError("The user was not found")
            now = self.clock.now()
            change(user, now)
            await self._accounts.save(user)
            if end_sessions:
                await self._sessions.revoke_all_for_user(user.id, now)
            await stage_events(self._outbox, user)
        logger.info("account_moderated", action=action, user_id=user_id, staff_id=actor.user_id)
        return AccountView.of(user)
