"""Change my password (the old one is required); ends every session: refresh tokens
revoked, every access token refused from now on, and after the commit `SessionsRevoked`
(4401) published for its live sockets."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.session_control import CLOSE_SIGN_IN_AGAIN, SessionControl
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.ports import PasswordHasher
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users import rules
from hypehere.domain.users.errors import UserNotFoundError, WeakPasswordError, WrongPasswordError
from hypehere.domain.users.ports import RefreshTokenRepository, UserRepository

logger = structlog.get_logger(__name__)


class ChangePasswordCommand(msgspec.Struct, frozen=True):
    actor: Actor
    old_password: str
    new_password: str


class ChangePassword:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: RefreshTokenRepository,
        hasher: PasswordHasher,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._hasher = hasher
        self._control = control
        self._clock = clock

    async def execute(self, cmd: ChangePasswordCommand) -> None:
        async with self._uow:
            found = await self._users.get(cmd.actor.user_id)
        if found is None:
            raise UserNotFoundError("The user was not found")
        if not await self._hasher.verify(found.password_hash, cmd.old_password):
            raise WrongPasswordError("The current password is wrong")
        try:
            rules.check_password(cmd.new_password, email=found.email)
        except WeakPasswordError as exc:
            raise WeakPasswordError(exc.message, field="new_password") from exc
        new_hash = await self._hasher.hash(cmd.new_password)
        async with self._uow:
            user = await self._users.get(cmd.actor.user_id)
            if user is None or user.password_hash != found.password_hash:
                raise WrongPasswordError("The current password is wrong")
            now = self._clock.now()
            user.password_hash = new_hash
            user.updated_at = now
            user.revoke_tokens(now)
            await self._users.save(user)
            await self._tokens.revoke_all_for_user(user.id, now)
            self._control.revoke_after_commit(
                self._uow,
                user.id,
                SessionsRevoked(reason="password_changed", close_code=CLOSE_SIGN_IN_AGAIN),
            )
        logger.info("password_changed", user_id=user.id)
