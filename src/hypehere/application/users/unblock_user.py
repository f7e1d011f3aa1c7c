"""Unblock a user (idempotent)."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.events import UserUnblocked
from hypehere.domain.users.ports import SocialGraph


class UnblockUser:
    def __init__(
        self, uow: UnitOfWork, graph: SocialGraph, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._graph = graph
        self._outbox = outbox
        self._clock = clock

    async def execute(self, actor: Actor, user_id: str) -> None:
        async with self._uow:
            if await self._graph.unblock(actor.user_id, user_id):
                await self._outbox.add(
                    UserUnblocked(
                        occurred_at=self._clock.now(), blocker_id=actor.user_id, blocked_id=user_id
                    )
                )
