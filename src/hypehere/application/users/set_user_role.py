"""Admin: make an account a member, moderator, analyst or admin."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.users.moderate_account import AccountAction
from hypehere.application.users.views import MeView
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.users.model import UserRole


class SetUserRole:
    def __init__(self, action: AccountAction) -> None:
        self._action = action

    async def execute(self, actor: Actor, user_id: str, role: str) -> MeView:
        try:
            new_role = UserRole(role.strip().lower())
        except ValueError as exc:
            allowed = ", ".join(r.value for r in UserRole)
            raise InvalidInputError(f"role must be one of {allowed}", field="role") from exc
        return await self._action.run(
            actor,
            user_id,
            lambda user, at: user.set_role(new_role, at),
            action="set_role",
            admin_only=True,
        )
