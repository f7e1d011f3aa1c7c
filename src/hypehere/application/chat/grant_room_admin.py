"""An admin makes another member an admin."""

from __future__ import annotations

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.frames import AdminGrantedFrame
from hypehere.application.chat.room_action import RoomAction
from hypehere.domain.chat.errors import NotRoomAdminError, NotRoomMemberError
from hypehere.domain.chat.model import RoomRole


class GrantRoomAdminCommand(OnRoom, frozen=True):
    user_id: str


class GrantRoomAdmin(RoomAction):
    async def execute(self, cmd: GrantRoomAdminCommand) -> None:
        async with self._uow:
            await self._room(cmd.room_id)
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
            self._broadcast_after_commit(cmd.room_id, granted)
