"""Staff (moderation): held rooms, what the title check reads (`LocateHeldRoom`) and what
the `moderation-scan` re-check goes through (`ListHeldRooms`: still waiting, oldest
first)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomNotFoundError


class ListHeldRoomsQuery(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    before: datetime
    limit: int = 100


class HeldRoom(msgspec.Struct, frozen=True):
    room_id: str
    language: str
    created_at: datetime


class ListHeldRooms:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, query: ListHeldRoomsQuery) -> list[HeldRoom]:
        require_staff(query.actor)
        async with self._uow:
            held = await self._rooms.held_before(query.before, query.limit)
        return [HeldRoom(r.id, r.language, r.created_at) for r in held]


class LocateRoomQuery(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str


class LocatedRoom(msgspec.Struct, frozen=True):
    created_by: str
    text: str  # the title, and the description below it when there is one


class LocateRoom:
    """Staff find any room (held ones included); others only rooms they may see."""

    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, query: LocateRoomQuery) -> LocatedRoom:
        async with self._uow:
            room = await self._rooms.get(query.room_id)
        if room is None or not (query.actor.is_staff or room.visible_to(query.actor.user_id)):
            raise RoomNotFoundError("The room was not found.")
        text = room.name if not room.description else f"{room.name}\n{room.description}"
        return LocatedRoom(created_by=room.created_by, text=text)
