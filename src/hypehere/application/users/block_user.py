"""Block a user (idempotent); removes follows both ways."""

from __future__ import annotations

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import CannotBlockSelfError, UserNotFoundError
from hypehere.domain.users.events import UserBlocked, UserUnfollowed
from hypehere.domain.users.model import AccountState
from hypehere.domain.users.ports import SocialGraph, UserRepository


class BlockUser:
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

    async def execute(self, actor: Actor, user_id: str) -> None:
        if actor.user_id == user_id:
            raise CannotBlockSelfError("You cannot block yourself")
        async with self._uow:
            target = await self._users.get(user_id)
            if target is None or target.state is AccountState.DELETED:
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            for follower, followee in ((actor.user_id, user_id), (user_id, actor.user_id)):
                if await self._graph.unfollow(follower, followee):
                    await self._outbox.add(
                        UserUnfollowed(occurred_at=now, follower_id=follower, followee_id=followee)
                    )
            if await self._graph.block(actor.user_id, user_id, now):
                await self._outbox.add(
                    UserBlocked(occurred_at=now, blocker_id=actor.user_id, blocked_id=user_id)
                )
