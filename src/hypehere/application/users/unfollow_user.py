"""Unfollow a user (idempotent)."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.users.graph_action import GraphAction


class UnfollowUserCommand(ActOnUser, frozen=True):
    pass


class UnfollowUser(GraphAction):
    async def execute(self, cmd: UnfollowUserCommand) -> None:
        async with self._uow:
            await self._unfollow(cmd.actor.user_id, cmd.user_id, self._clock.now())
