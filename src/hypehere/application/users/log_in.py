"""Sign in with email and password; cancels a pending deactivation or deletion."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.outbox import stage_events
from hypehere.application.users.signing_in import SigningIn
from hypehere.application.users.views import SessionResult
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.users.errors import InvalidCredentialsError
from hypehere.domain.users.model import AccountState

logger = structlog.get_logger(__name__)


class LogInCommand(msgspec.Struct, frozen=True):
    email: str
    password: str


class LogIn(SigningIn):
    async def execute(self, cmd: LogInCommand) -> SessionResult:
        try:
            email: str | None = self._emails.normalize(cmd.email)
        except InvalidInputError:
            email = None
        # Read, verify the password outside any transaction (hashing is slow), then apply.
        async with self._uow:
            found = await self._users.get_by_email(email) if email else None
        if found is None or found.state is AccountState.DELETED:
            await self._hasher.verify_dummy(cmd.password)
            logger.info("login_failed", reason="unknown_email")
            raise InvalidCredentialsError("The email or password is wrong")
        if not await self._hasher.verify(found.password_hash, cmd.password):
            logger.info("login_failed", reason="wrong_password", user_id=found.id)
            raise InvalidCredentialsError("The email or password is wrong")
        new_hash = (
            await self._hasher.hash(cmd.password)
            if self._hasher.needs_rehash(found.password_hash)
            else None
        )
        async with self._uow:
            user = await self._users.get(found.id)
            if user is None or user.password_hash != found.password_hash:
                # Deleted or password changed meanwhile: the checked password is stale.
                raise InvalidCredentialsError("The email or password is wrong")
            now = self._clock.now()
            previous_state = user.state
            user.log_in(now)
            if new_hash is not None:
                user.password_hash = new_hash
            await self._users.save(user)
            await stage_events(self._outbox, user.events)
            session = await self._open_session(user, now)
        logger.info("user_logged_in", user_id=user.id, previous_state=previous_state.value)
        return session
