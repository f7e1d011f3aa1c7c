"""Staff: ban an account for good (revokes its refresh tokens; access tokens stop working at
the next request)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.moderate_account import AccountAction
from hypehere.application.users.views import MeView


class BanUserCommand(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    reason: str | None = None


class BanUser:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, actor: Actor, cmd: BanUserCommand) -> MeView:
        return await self._action.run(
            actor,
            cmd.user_id,
            lambda user, at: user.ban(cmd.reason, at),
            action="ban",
            revoke_tokens=True,
        )
