"""Staff: ban an account for good (ends its sessions: every access token is refused at
once, and `SessionsRevoked` (4403) is published for its live sockets)."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.views import AccountView


class BanUserCommand(ActOnUser, frozen=True, kw_only=True):
    reason: str | None = None


class BanUser(ActsOnAccount):
    async def execute(self, cmd: BanUserCommand) -> AccountView:
        return await self._action.run(
            cmd.actor,
            cmd.user_id,
            lambda user, at: user.ban(cmd.reason, at),
            action="ban",
            end_sessions=True,
        )
