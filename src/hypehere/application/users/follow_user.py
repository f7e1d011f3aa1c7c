"""Follow a user (idempotent; no self-follow; blocked either way looks like 404)."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.users.graph_action import GraphAction
from hypehere.domain.users.errors import CannotFollowSelfError, UserNotFoundError
from hypehere.domain.users.events import UserFollowed


class FollowUserCommand(ActOnUser, frozen=True):
    pass


class FollowUser(GraphAction):
    async def execute(self, cmd: FollowUserCommand) -> None:
        me, them = cmd.actor.user_id, cmd.user_id
        if me == them:
            raise CannotFollowSelfError("You cannot follow yourself")
        async with self._uow:
            target = await self._users.get(them)
            if (
                target is None
                or not target.is_visible
                or await self._graph.blocked_either_way(me, them)
            ):
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            if await self._graph.follow(me, them, now):
                await self._outbox.add(
                    UserFollowed(occurred_at=now, follower_id=me, followee_id=them)
                )
