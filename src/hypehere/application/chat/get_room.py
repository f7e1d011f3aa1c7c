"""One room."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import RoomReader
from hypehere.application.chat.views import RoomView
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import RoomNotFoundError


class GetRoomCommand(msgspec.Struct, frozen=True):
    room_id: str
    viewer_id: str | None = None  # a held room is found by its creator only


class GetRoom:
    def __init__(self, uow: UnitOfWork, reader: RoomReader) -> None:
        self._uow = uow
        self._reader = reader

    async def execute(self, cmd: GetRoomCommand) -> RoomView:
        async with self._uow:
            view = await self._reader.view(cmd.room_id, cmd.viewer_id)
        if view is None:
            raise RoomNotFoundError("The room was not found.")
        return view
