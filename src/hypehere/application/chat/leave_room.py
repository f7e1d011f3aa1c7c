"""Leave a room (frees the seat)."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.frames import LeftFrame
from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotRoomMemberError, RoomNotFoundError


class LeaveRoomCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str


class LeaveRoom:
    def __init__(
        self, uow: UnitOfWork, rooms: RoomRepository, publisher: RealtimePublisher
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._publisher = publisher

    async def execute(self, cmd: LeaveRoomCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            if await self._rooms.get(cmd.room_id) is None:
                raise RoomNotFoundError("The room was not found.")
            count = await self._rooms.remove_member(cmd.room_id, me)
            if count is None:
                raise NotRoomMemberError("You are not in this room.")
            left = LeftFrame(user_id=me, participant_count=count)
            self._uow.after_commit(
                lambda: self._publisher.publish(
                    room_topic(cmd.room_id), left, close_user_id=me, close_code=1000
                )
            )
