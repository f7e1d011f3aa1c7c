"""Authorize a WebSocket on a room: current members only. Returns the topic."""

from __future__ import annotations

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotRoomMemberError


class OpenRoomChannelCommand(OnRoom, frozen=True):
    pass


class OpenRoomChannel:
    def __init__(self, uow: UnitOfWork, rooms: RoomRepository) -> None:
        self._uow = uow
        self._rooms = rooms

    async def execute(self, cmd: OpenRoomChannelCommand) -> str:
        async with self._uow:
            member = await self._rooms.member(cmd.room_id, cmd.actor.user_id)
        if member is None:
            raise NotRoomMemberError("You are not in this room.")
        return room_topic(cmd.room_id)
