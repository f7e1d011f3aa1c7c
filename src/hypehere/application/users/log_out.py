"""Revoke one refresh token (idempotent; unknown tokens are ignored)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.users.sessions import hash_refresh_token
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.ports import RefreshTokenRepository


class LogOutCommand(msgspec.Struct, frozen=True):
    refresh_token: str


class LogOut:
    def __init__(self, uow: UnitOfWork, tokens: RefreshTokenRepository, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def execute(self, cmd: LogOutCommand) -> None:
        async with self._uow:
            token = await self._tokens.get_by_hash(hash_refresh_token(cmd.refresh_token))
            if token is not None and token.revoked_at is None:
                await self._tokens.revoke(token.id, self._clock.now())
