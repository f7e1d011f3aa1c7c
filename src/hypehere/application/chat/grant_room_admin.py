"""An admin makes another member an admin."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.frames import AdminGrantedFrame
from hypehere.application.chat.ports import RoomRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotRoomAdminError, NotRoomMemberError, RoomNotFoundError
from hypehere.domain.chat.model import RoomRole


class GrantRoomAdminCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str
    user_id: str


class GrantRoomAdmin:
    def __init__(
        self, uow: UnitOfWork, rooms: RoomRepository, publisher: RealtimePublisher
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._publisher = publisher

    async def execute(self, cmd: GrantRoomAdminCommand) -> None:
        async with self._uow:
            if await self._rooms.get(cmd.room_id) is None:
                raise RoomNotFoundError("The room was not found.")
            admin = await self._rooms.member(cmd.room_id, cmd.actor.user_id)
            if admin is None or not admin.is_admin:
                raise NotRoomAdminError("Only room admins can do this.")
            target = await self._rooms.member(cmd.room_id, cmd.user_id)
            if target is None:
                raise NotRoomMemberError("That user is not in this room.")
            if target.is_admin:
                return
            target.role = RoomRole.ADMIN
            await self._rooms.save_member(target)
            granted = AdminGrantedFrame(user_id=cmd.user_id, by=cmd.actor.user_id)
            self._uow.after_commit(
                lambda: self._publisher.publish(room_topic(cmd.room_id), granted)
            )
