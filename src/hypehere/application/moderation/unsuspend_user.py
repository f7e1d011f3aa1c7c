"""Staff: end a suspension early."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.views import AccountView


class UnsuspendUserCommand(ActOnUser, frozen=True, kw_only=True):
    pass


class UnsuspendUser(ActsOnAccount):
    async def execute(self, cmd: UnsuspendUserCommand) -> AccountView:
        return await self._action.run(
            cmd.actor, cmd.user_id, lambda user, at: user.unsuspend(at), action="unsuspend"
        )
