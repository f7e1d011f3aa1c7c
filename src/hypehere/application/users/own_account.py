"""What the use cases on my own account share: loading it (`my_account`), the ports of
reading and editing it (`OwnAccountUseCase`), and the shape of the self-service state
changes (`OwnAccountTransition`: deactivate, request deletion): in one transaction load my
account, apply the aggregate's own transition, save, end every session (refresh tokens
revoked, access tokens refused, `SessionsRevoked` (4403) published after the commit for its
live sockets), and stage its events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.session_control import CLOSE_NOT_ALLOWED, SessionControl
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import UserNotFoundError
from hypehere.domain.users.model import User
from hypehere.domain.users.ports import RefreshTokenRepository, UserRepository


async def my_account(users: UserRepository, user_id: str) -> User:
    user = await users.get(user_id)
    if user is None:
        raise UserNotFoundError("The user was not found")
    return user


class OwnAccountUseCase:
    def __init__(
        self, uow: UnitOfWork, users: UserRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._users = users
        self._outbox = outbox
        self._clock = clock


class OwnAccountTransition:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: RefreshTokenRepository,
        outbox: OutboxWriter,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._outbox = outbox
        self._control = control
        self._clock = clock

    async def _apply(
        self, user_id: str, change: Callable[[User, datetime], None], *, reason: str
    ) -> None:
        async with self._uow:
            user = await my_account(self._users, user_id)
            now = self._clock.now()
            change(user, now)
            user.revoke_tokens(now)
            await self._users.save(user)
            await self._tokens.revoke_all_for_user(user.id, now)
            self._control.revoke_after_commit(
                self._uow, user.id, SessionsRevoked(reason=reason, close_code=CLOSE_NOT_ALLOWED)
            )
            await stage_events(self._outbox, user.events)
