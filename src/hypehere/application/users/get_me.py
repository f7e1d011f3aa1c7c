"""The signed-in user's own view."""

from __future__ import annotations

import msgspec

from hypehere.application.common.accounts import AccountView
from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter, stage_events
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import UserNotFoundError
from hypehere.domain.users.ports import UserRepository


class GetMeCommand(msgspec.Struct, frozen=True):
    actor: Actor


class GetMe:
    def __init__(
        self, uow: UnitOfWork, users: UserRepository, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._users = users
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: GetMeCommand) -> AccountView:
        async with self._uow:
            user = await self._users.get(cmd.actor.user_id)
            if user is None:
                raise UserNotFoundError("The user was not found")
            if user.lift_expired_suspension(self._clock.now()):
                await self._users.save(user)
                await stage_events(self._outbox, user.events)
        return AccountView.of(user)
