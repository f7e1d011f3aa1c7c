"""What follow, unfollow, block and unblock share: their ports, and staging an unfollow
(blocking unfollows both ways)."""

from __future__ import annotations

from datetime import datetime

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock
from hypehere.domain.users.events import UserUnfollowed
from hypehere.domain.users.ports import SocialGraph, UserRepository


class GraphAction:
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

    async def _unfollow(self, follower_id: str, followee_id: str, now: datetime) -> None:
        """Remove the follow, if any, and stage its event (in the open transaction)."""
        if await self._graph.unfollow(follower_id, followee_id):
            await self._outbox.add(
                UserUnfollowed(occurred_at=now, follower_id=follower_id, followee_id=followee_id)
            )
