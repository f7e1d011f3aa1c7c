"""Leave a room (frees the seat)."""

from __future__ import annotations

from hypehere.application.chat.access import OnRoom
from hypehere.application.chat.frames import LeftFrame
from hypehere.application.chat.room_action import RoomAction
from hypehere.domain.chat.errors import NotRoomMemberError


class LeaveRoomCommand(OnRoom, frozen=True):
    pass


class LeaveRoom(RoomAction):
    async def execute(self, cmd: LeaveRoomCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            await self._room(cmd.room_id)
            count = await self._rooms.remove_member(cmd.room_id, me)
            if count is None:
                raise NotRoomMemberError("You are not in this room.")
            left = LeftFrame(user_id=me, participant_count=count)
            self._broadcast_after_commit(cmd.room_id, left, close_user_id=me, close_code=1000)
