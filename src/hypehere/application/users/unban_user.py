"""Staff: lift a ban."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.moderate_account import AccountAction
from hypehere.application.users.views import MeView


class UnbanUser:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, actor: Actor, user_id: str) -> MeView:
        return await self._action.run(
            actor, user_id, lambda user, at: user.unban(at), action="unban"
        )
