"""Block a user (idempotent); removes follows both ways."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.errors import CannotBlockSelfError, UserNotFoundError
from hypehere.domain.users.events import UserBlocked, UserUnfollowed
from hypehere.domain.users.model import AccountState
from hypehere.domain.users.ports import SocialGraph, UserRepository


class BlockUserCommand(msgspec.Struct, frozen=True):
    actor: Actor
    user_id: str


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

    async def execute(self, cmd: BlockUserCommand) -> None:
        me, them = cmd.actor.user_id, cmd.user_id
        if me == them:
            raise CannotBlockSelfError("You cannot block yourself")
        async with self._uow:
            target = await self._users.get(them)
            if target is None or target.state is AccountState.DELETED:
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            for follower, followee in ((me, them), (them, me)):
                if await self._graph.unfollow(follower, followee):
                    await self._outbox.add(
                        UserUnfollowed(occurred_at=now, follower_id=follower, followee_id=followee)
                    )
            if await self._graph.block(me, them, now):
                await self._outbox.add(UserBlocked(occurred_at=now, blocker_id=me, blocked_id=them))
