"""Create an account and sign it in."""

from __future__ import annotations

import secrets

import msgspec
import structlog

from hypehere.application.users.signing_in import SigningIn
from hypehere.application.users.views import SessionResult
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.languages import (
    DEFAULT_INTERFACE_LANGUAGE,
    CefrLevel,
    parse_language,
)
from hypehere.domain.users import rules
from hypehere.domain.users.errors import EmailTakenError, HandleTakenError
from hypehere.domain.users.events import UserRegistered
from hypehere.domain.users.model import TargetLanguage, User, UserRole

logger = structlog.get_logger(__name__)

HANDLE_ATTEMPTS = 5
HANDLE_CANDIDATES = 50


class TargetLanguageInput(msgspec.Struct, frozen=True):
    language: str
    level: str


class RegisterUserCommand(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    nickname: str
    native_language: str
    target_languages: tuple[TargetLanguageInput, ...] = ()
    interface_language: str | None = None
    role: str = UserRole.MEMBER.value


class RegisterUser(SigningIn):
    async def execute(self, cmd: RegisterUserCommand) -> SessionResult:
        email = self._emails.normalize(cmd.email)
        rules.check_password(cmd.password, email=email)
        nickname = rules.parse_nickname(cmd.nickname)
        native = parse_language(cmd.native_language, field="native_language")
        targets = rules.parse_target_languages(
            [(t.language, t.level) for t in cmd.target_languages], native_language=native
        )
        interface = rules.parse_interface_language(
            cmd.interface_language or DEFAULT_INTERFACE_LANGUAGE
        )
        password_hash = await self._hasher.hash(cmd.password)
        for attempt in range(HANDLE_ATTEMPTS):
            try:
                return await self._register(
                    email, password_hash, nickname, native, targets, interface, cmd.role, attempt
                )
            except HandleTakenError:
                # Another sign-up took the handle between our check and the insert.
                if attempt + 1 == HANDLE_ATTEMPTS:
                    raise
        raise HandleTakenError("The handle is taken")  # pragma: no cover - loop returns

    async def _register(
        self,
        email: str,
        password_hash: str,
        nickname: str,
        native: str,
        targets: tuple[tuple[str, CefrLevel], ...],
        interface: str,
        role: str,
        attempt: int,
    ) -> SessionResult:
        now = self._clock.now()
        base = rules.handle_base(email)
        async with self._uow:
            if await self._users.get_by_email(email) is not None:
                raise EmailTakenError("The email is already registered")
            candidates = list(rules.handle_candidates(base, HANDLE_CANDIDATES))
            taken = await self._users.handles_taken(candidates)
            free = [c for c in candidates if c not in taken]
            if not free:
                handle = f"{base[:17]}_{new_id()[-12:]}"
            elif attempt == 0:
                handle = free[0]
            else:  # lost a race for a handle: spread the retries over the next free ones
                handle = secrets.choice(free[: 2 + attempt * 4])
            user = User(
                id=new_id(),
                email=email,
                handle=handle,
                nickname=nickname,
                password_hash=password_hash,
                native_language=native,
                interface_language=interface,
                target_languages=tuple(TargetLanguage(lang, lvl) for lang, lvl in targets),
                role=UserRole(role),
                created_at=now,
                updated_at=now,
                last_active_at=now,
            )
            await self._users.add(user)
            await self._outbox.add(
                UserRegistered(
                    occurred_at=now,
                    user_id=user.id,
                    handle=user.handle,
                    nickname=user.nickname,
                    native_language=user.native_language,
                    target_languages=tuple(
                        {"language": t.language, "level": t.level.value}
                        for t in user.target_languages
                    ),
                )
            )
            session = await self._open_session(user, now)
        logger.info("user_registered", user_id=user.id, handle=user.handle)
        return session
