"""Unfollow a user (idempotent)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.events import UserUnfollowed
from hypehere.domain.users.ports import SocialGraph


class UnfollowUserCommand(msgspec.Struct, frozen=True):
    actor: Actor
    user_id: str


class UnfollowUser:
    def __init__(
        self, uow: UnitOfWork, graph: SocialGraph, outbox: OutboxWriter, clock: Clock
    ) -> None:
        self._uow = uow
        self._graph = graph
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: UnfollowUserCommand) -> None:
        async with self._uow:
            if await self._graph.unfollow(cmd.actor.user_id, cmd.user_id):
                await self._outbox.add(
                    UserUnfollowed(
                        occurred_at=self._clock.now(),
                        follower_id=cmd.actor.user_id,
                        followee_id=cmd.user_id,
                    )
                )
