"""Deactivate my account: hidden until I log in again (within 30 days)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import UserNotFoundError
from hypehere.domain.users.ports import RefreshTokenRepository, UserRepository


class DeactivateAccountCommand(msgspec.Struct, frozen=True):
    actor: Actor


class DeactivateAccount:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tokens: RefreshTokenRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tokens = tokens
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: DeactivateAccountCommand) -> None:
        async with self._uow:
            user = await self._users.get(cmd.actor.user_id)
            if user is None:
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            user.deactivate(now)
            await self._users.save(user)
            await self._tokens.revoke_all_for_user(user.id, now)
            await stage_events(self._outbox, user.events)
