"""Staff: ban an account for good (ends its sessions: every access token is refused at
once, and `SessionsRevoked` (4403) is published for its live sockets)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.views import AccountView


class BanUserCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    user_id: str
    reason: str | None = None


class BanUser:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, cmd: BanUserCommand) -> AccountView:
        return await self._action.run(
            cmd.actor,
            cmd.user_id,
            lambda user, at: user.ban(cmd.reason, at),
            action="ban",
            end_sessions=True,
        )
