"""Staff: lift a ban."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.views import AccountView


class UnbanUserCommand(ActOnUser, frozen=True, kw_only=True):
    pass


class UnbanUser(ActsOnAccount):
    async def execute(self, cmd: UnbanUserCommand) -> AccountView:
        return await self._action.run(
            cmd.actor, cmd.user_id, lambda user, at: user.unban(at), action="unban"
        )
