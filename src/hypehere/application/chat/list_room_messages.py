"""A room's history, for its members only."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnRoom, room_member
from hypehere.application.chat.history import history_page
from hypehere.application.chat.ports import RoomReader, RoomRepository
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.uow import UnitOfWork


class ListRoomMessagesCommand(OnRoom, frozen=True):
    limit: int | None = None
    cursor: str | None = None
    after: str | None = None


class ListRoomMessagesResult(msgspec.Struct, frozen=True):
    items: list[RoomMessageView]
    next_cursor: str | None


class ListRoomMessages:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository, reader: RoomReader) -> None:
        self._uow = uow
        self._rooms = rooms
        self._reader = reader

    async def execute(self, cmd: ListRoomMessagesCommand) -> ListRoomMessagesResult:
        room_id = cmd.room_id
        async with self._uow:
            await room_member(self._rooms, room_id, cmd.actor.user_id)
            page = await history_page(
                self._reader, room_id, limit=cmd.limit, cursor=cmd.cursor, after=cmd.after
            )
        return ListRoomMessagesResult(items=page.items, next_cursor=page.next_cursor)
