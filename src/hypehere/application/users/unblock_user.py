"""Unblock a user (idempotent)."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.users.graph_action import GraphAction
from hypehere.domain.users.events import UserUnblocked


class UnblockUserCommand(ActOnUser, frozen=True):
    pass


class UnblockUser(GraphAction):
    async def execute(self, cmd: UnblockUserCommand) -> None:
        me, them = cmd.actor.user_id, cmd.user_id
        async with self._uow:
            if await self._graph.unblock(me, them):
                await self._outbox.add(
                    UserUnblocked(occurred_at=self._clock.now(), blocker_id=me, blocked_id=them)
                )
