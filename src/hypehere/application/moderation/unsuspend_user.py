"""Staff: end a suspension early."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.views import AccountView


class UnsuspendUserCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    user_id: str


class UnsuspendUser:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, cmd: UnsuspendUserCommand) -> AccountView:
        return await self._action.run(
            cmd.actor, cmd.user_id, lambda user, at: user.unsuspend(at), action="unsuspend"
        )
