"""Open rooms, newest first, optionally in one language, with participant counts."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import RoomReader
from hypehere.application.chat.views import RoomView
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import PageRequest


class ListRoomsCommand(msgspec.Struct, frozen=True):
    viewer_id: str | None = None  # held rooms are listed to their creator only
    language: str | None = None
    limit: int | None = None
    cursor: str | None = None


class ListRoomsResult(msgspec.Struct, frozen=True):
    items: list[RoomView]
    next_cursor: str | None


class ListRooms:
    def __init__(self, uow: UnitOfWork, reader: RoomReader) -> None:
        self._uow = uow
        self._reader = reader

    async def execute(self, cmd: ListRoomsCommand) -> ListRoomsResult:
        request = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        language = parse_language(cmd.language) if cmd.language is not None else None
        async with self._uow:
            page = await self._reader.list_rooms(language, request, cmd.viewer_id)
        return ListRoomsResult(items=page.items, next_cursor=page.next_cursor)
