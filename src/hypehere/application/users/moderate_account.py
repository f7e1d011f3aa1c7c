"""Shared shape of the admin account changes that stay in the users module (set role).

The moderation actions (suspend, ban, ...) live in `application/moderation/`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.events import stage_events
from hypehere.application.users.sessions import me_view
from hypehere.application.users.views import MeView
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import StaffOnlyError, UserNotFoundError
from hypehere.domain.users.model import User
from hypehere.domain.users.ports import UserRepository

logger = structlog.get_logger(__name__)


def require_staff(actor: Actor, *, admin: bool = False) -> None:
    if admin and actor.role is not Role.ADMIN:
        raise StaffOnlyError("Only an admin can do this")
    if not actor.is_staff:
        raise StaffOnlyError("Only staff can do this")


class AccountAction:
    """Load the account, apply `change(user, now)`, save, stage its events."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._outbox = outbox
        self.clock = clock

    async def run(
        self,
        actor: Actor,
        user_id: str,
        change: Callable[[User, datetime], None],
        *,
        action: str,
        admin_only: bool = False,
    ) -> MeView:
        require_staff(actor, admin=admin_only)
        async with self._uow:
            user = await self._users.get(user_id)
            if user is None:
                raise UserNotFoundError("The user was not found")
            now = self.clock.now()
            change(user, now)
            await self._users.save(user)
            await stage_events(self._outbox, user)
        logger.info("account_moderated", action=action, user_id=user_id, staff_id=actor.user_id)
        return me_view(user)
