"""Staff (the moderation scan): held direct and room messages still waiting for a verdict,
oldest first, so a check that never completed is done again."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.ports import HeldMessages
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import Message, RoomMessage


class ListHeldMessagesQuery(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    before: datetime
    limit: int = 100


class WaitingMessages(msgspec.Struct, frozen=True):
    """The held messages' ids, of each kind (at most `limit` of each)."""

    direct: list[str]
    room: list[str]


class ListHeldMessages:
    def __init__(
        self,
        uow: UnitOfWork,
        held: HeldMessages[Message],
        held_in_rooms: HeldMessages[RoomMessage],
    ) -> None:
        self._uow = uow
        self._held = held
        self._held_in_rooms = held_in_rooms

    async def execute(self, query: ListHeldMessagesQuery) -> WaitingMessages:
        require_staff(query.actor)
        async with self._uow:
            direct = await self._held.waiting_before(query.before, query.limit)
            room = await self._held_in_rooms.waiting_before(query.before, query.limit)
        return WaitingMessages(direct=[m.id for m in direct], room=[m.id for m in room])
