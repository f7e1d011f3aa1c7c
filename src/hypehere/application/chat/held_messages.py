"""Staff (the moderation scan): held direct messages still waiting for a verdict, oldest
first, so a check that never completed is done again."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.ports import HeldMessages
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork


class ListHeldMessagesQuery(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    before: datetime
    limit: int = 100


class ListHeldMessages:
    def __init__(self, uow: UnitOfWork, held: HeldMessages) -> None:
        self._uow = uow
        self._held = held

    async def execute(self, query: ListHeldMessagesQuery) -> list[str]:
        """The held messages' ids."""
        require_staff(query.actor)
        async with self._uow:
            found = await self._held.waiting_before(query.before, query.limit)
        return [m.id for m in found]
