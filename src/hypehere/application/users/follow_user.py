"""Follow a user (idempotent; no self-follow; blocked either way looks like 404)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import CannotFollowSelfError, UserNotFoundError
from hypehere.domain.users.events import UserFollowed
from hypehere.domain.users.ports import SocialGraph, UserRepository


class FollowUserCommand(msgspec.Struct, frozen=True):
    actor: Actor
    user_id: str


class FollowUser:
    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        graph: SocialGraph,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._graph = graph
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: FollowUserCommand) -> None:
        if cmd.actor.user_id == cmd.user_id:
            raise CannotFollowSelfError("You cannot follow yourself")
        async with self._uow:
            target = await self._users.get(cmd.user_id)
            if (
                target is None
                or not target.is_visible
                or await self._graph.blocked_either_way(cmd.actor.user_id, cmd.user_id)
            ):
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            if await self._graph.follow(cmd.actor.user_id, cmd.user_id, now):
                await self._outbox.add(
                    UserFollowed(
                        occurred_at=now, follower_id=cmd.actor.user_id, followee_id=cmd.user_id
                    )
                )
