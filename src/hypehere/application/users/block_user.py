"""Block a user (idempotent); removes follows both ways."""

from __future__ import annotations

from hypehere.application.common.commands import ActOnUser
from hypehere.application.users.graph_action import GraphAction
from hypehere.domain.users.errors import CannotBlockSelfError, UserNotFoundError
from hypehere.domain.users.events import UserBlocked
from hypehere.domain.users.model import AccountState


class BlockUserCommand(ActOnUser, frozen=True):
    pass


class BlockUser(GraphAction):
    async def execute(self, cmd: BlockUserCommand) -> None:
        me, them = cmd.actor.user_id, cmd.user_id
        if me == them:
            raise CannotBlockSelfError("You cannot block yourself")
        async with self._uow:
            target = await self._users.get(them)
            if target is None or target.state is AccountState.DELETED:
                raise UserNotFoundError("The user was not found")
            now = self._clock.now()
            await self._unfollow(me, them, now)
            await self._unfollow(them, me, now)
            if await self._graph.block(me, them, now):
                await self._outbox.add(UserBlocked(occurred_at=now, blocker_id=me, blocked_id=them))
