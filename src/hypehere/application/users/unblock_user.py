"""Unblock a user (idempotent)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.events import UserUnblocked
from hypehere.domain.users.ports import SocialGraph


class UnblockUserCommand(msgspec.Struct, frozen=True):
    actor: Actor
    user_id: str


class UnblockUser:
    def __init__(
        self, uow: UnitOfWork, graph: SocialGraph, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._graph = graph
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: UnblockUserCommand) -> None:
        async with self._uow:
            if await self._graph.unblock(cmd.actor.user_id, cmd.user_id):
                await self._outbox.add(
                    UserUnblocked(
                        occurred_at=self._clock.now(),
                        blocker_id=cmd.actor.user_id,
                        blocked_id=cmd.user_id,
                    )
                )
