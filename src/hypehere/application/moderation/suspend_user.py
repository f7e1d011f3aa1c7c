"""Staff: suspend an account for some days or until a time (it lifts by itself: at the
account's next request, and by the `lift-suspensions` job)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypehere.application.common.commands import ActOnUser
from hypehere.application.moderation.account_action import ActsOnAccount
from hypehere.application.moderation.views import AccountView
from hypehere.domain.shared.errors import InvalidInputError

MAX_SUSPENSION_DAYS = 3650


class SuspendUserCommand(ActOnUser, frozen=True, kw_only=True):
    days: int | None = None
    until: datetime | None = None
    reason: str | None = None


class SuspendUser(ActsOnAccount):
    async def execute(self, cmd: SuspendUserCommand) -> AccountView:
        if (cmd.days is None) == (cmd.until is None):
            raise InvalidInputError("Give either days or until", field="days")
        if cmd.days is not None and not 1 <= cmd.days <= MAX_SUSPENSION_DAYS:
            raise InvalidInputError(
                f"days must be between 1 and {MAX_SUSPENSION_DAYS}", field="days"
            )
        now = self._action.clock.now()
        until = cmd.until if cmd.until is not None else now + timedelta(days=cmd.days or 0)
        if until.tzinfo is None:
            raise InvalidInputError("until must carry a time zone", field="until")
        return await self._action.run(
            cmd.actor,
            cmd.user_id,
            lambda user, at: user.suspend(until, cmd.reason, at),
            action="suspend",
            end_sessions=True,
        )
