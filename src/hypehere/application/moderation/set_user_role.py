"""Admin: make an account a member, moderator, analyst or admin (only an admin may)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.account_action import AccountAction
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.views import AccountView
from hypehere.domain.users.model import UserRole


class SetUserRoleCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    user_id: str
    role: str


class SetUserRole:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, cmd: SetUserRoleCommand) -> AccountView:
        new_role = parse_choice(UserRole, cmd.role.strip().lower(), "role")
        return await self._action.run(
            cmd.actor,
            cmd.user_id,
            lambda user, at: user.set_role(new_role, at),
            action="set_role",
            admin_only=True,
            granted=new_role,
        )
