"""Admin: make an account a member, moderator, analyst or admin (only an admin may).

API.md names the default role `user`; it is stored (and shown) as `member`, so `user` is
accepted as that role's name."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.views import AccountView
from hypehere.domain.users.model import UserRole

ROLE_ALIASES = {"user": UserRole.MEMBER}


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
