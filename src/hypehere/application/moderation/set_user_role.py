"""Admin: make an account a user, moderator, analyst or admin (only an admin may).

The default role is API.md's `user`; `member`, its name before migration 0023, is still
accepted."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.views import AccountView
from hypehere.domain.users.model import UserRole

ROLE_ALIASES = {"member": UserRole.MEMBER}  # the name before API.md's `user`


class SetUserRoleCommand(ActOnUser, frozen=True, kw_only=True):
    role: str


class SetUserRole(ActsOnAccount):
    async def execute(self, cmd: SetUserRoleCommand) -> AccountView:
        name = cmd.role.strip().lower()
        new_role = ROLE_ALIASES.get(name) or parse_choice(UserRole, name, "role")
        return await self._action.run(
            cmd.actor,
            cmd.user_id,
            lambda user, at: user.set_role(new_role, at),
            action="set_role",
            admin_only=True,
            granted=new_role,
        )
