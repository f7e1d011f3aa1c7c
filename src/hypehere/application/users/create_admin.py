"""`hypehere create-admin`: create the first staff account, or promote an existing one."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.session_control import SessionControl
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.ports import EmailValidator
from hypehere.application.users.register_user import RegisterUser, RegisterUserCommand
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.model import UserRole
from hypehere.domain.users.ports import UserRepository

logger = structlog.get_logger(__name__)


class CreateAdminCommand(msgspec.Struct, frozen=True):
    email: str
    password: str
    nickname: str = "Admin"
    native_language: str = "ko"


class CreateAdminResult(msgspec.Struct, frozen=True):
    user_id: str
    created: bool


class CreateAdmin:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        emails: EmailValidator,
        register: RegisterUser,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._control = control
        self._uow = uow
        self._users = users
        self._emails = emails
        self._register = register
        self._clock = clock

    async def execute(self, cmd: CreateAdminCommand) -> CreateAdminResult:
        email = self._emails.normalize(cmd.email)
        async with self._uow:
            existing = await self._users.get_by_email(email)
            if existing is not None:
                existing.set_role(UserRole.ADMIN, self._clock.now())
                self._control.status_changed_after_commit(self._uow, existing.id)
                await self._users.save(existing)
        if existing is not None:
            logger.info("admin_promoted", user_id=existing.id)
            return CreateAdminResult(user_id=existing.id, created=False)
        result = await self._register.execute(
            RegisterUserCommand(
                email=email,
                password=cmd.password,
                nickname=cmd.nickname,
                native_language=cmd.native_language,
                role=UserRole.ADMIN.value,
            )
        )
        logger.info("admin_created", user_id=result.user.id)
        return CreateAdminResult(user_id=result.user.id, created=True)
