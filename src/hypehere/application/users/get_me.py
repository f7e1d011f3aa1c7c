"""The signed-in user's own view."""

from __future__ import annotations

import msgspec

from hypehere.application.common.accounts import AccountView
from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import stage_events
from hypehere.application.users.own_account import OwnAccountUseCase, my_account


class GetMeCommand(msgspec.Struct, frozen=True):
    actor: Actor


class GetMe(OwnAccountUseCase):
    async def execute(self, cmd: GetMeCommand) -> AccountView:
        async with self._uow:
            user = await my_account(self._users, cmd.actor.user_id)
            if user.lift_expired_suspension(self._clock.now()):
                await self._users.save(user)
                await stage_events(self._outbox, user.events)
        return AccountView.of(user)
