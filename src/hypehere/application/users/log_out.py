"""Log out: end the session the refresh token belongs to (idempotent; unknown tokens are
ignored). Every refresh token of its family is revoked, the session's access tokens are
refused from the next request on (`VerifyAccessToken` reads the family's state), and after
the commit `SessionsRevoked` (4401, that session) is published for its live sockets. Other
sessions of the user stay."""

from __future__ import annotations

import msgspec

from hypehere.application.common.session_control import CLOSE_SIGN_IN_AGAIN, SessionControl
from hypehere.application.common.sessions import SessionsRevoked
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.sessions import hash_refresh_token
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.ports import RefreshTokenRepository


class LogOutCommand(msgspec.Struct, frozen=True):
    refresh_token: str


class LogOut:
    def __init__(
        self,
        uow: UnitOfWork,
        tokens: RefreshTokenRepository,
        control: SessionControl,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._control = control
        self._clock = clock

    async def execute(self, cmd: LogOutCommand) -> None:
        async with self._uow:
            token = await self._tokens.get_by_hash(hash_refresh_token(cmd.refresh_token))
            if token is None:
                return
            await self._tokens.revoke_family(token.family_id, self._clock.now())
            self._control.revoke_after_commit(
                self._uow,
                token.user_id,
                SessionsRevoked(
                    reason="logout", close_code=CLOSE_SIGN_IN_AGAIN, session_id=token.family_id
                ),
            )
