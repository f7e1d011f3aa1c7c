"""Check an email and password without signing in and whatever the account's state
(suspended and banned included; deleted accounts never match): for the few things a
locked-out user may still do, such as reading their strikes and appealing."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.ports import EmailValidator, PasswordHasher
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.users.errors import InvalidCredentialsError
from hypehere.domain.users.model import AccountState
from hypehere.domain.users.ports import UserRepository

logger = structlog.get_logger(__name__)


class CheckCredentialsCommand(msgspec.Struct, frozen=True):
    email: str
    password: str


class CheckCredentialsResult(msgspec.Struct, frozen=True):
    user_id: str
    state: str


class CheckCredentials:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        hasher: PasswordHasher,
        emails: EmailValidator,
    ) -> None:
        self._uow = uow
        self._users = users
        self._hasher = hasher
        self._emails = emails

    async def execute(self, cmd: CheckCredentialsCommand) -> CheckCredentialsResult:
        try:
            email: str | None = self._emails.normalize(cmd.email)
        except InvalidInputError:
            email = None
        async with self._uow:
            found = await self._users.get_by_email(email) if email else None
        if found is None or found.state is AccountState.DELETED:
            await self._hasher.verify_dummy(cmd.password)
            raise InvalidCredentialsError("The email or password is wrong")
        if not await self._hasher.verify(found.password_hash, cmd.password):
            logger.info("credentials_check_failed", user_id=found.id)
            raise InvalidCredentialsError("The email or password is wrong")
        return CheckCredentialsResult(user_id=found.id, state=found.state.value)
