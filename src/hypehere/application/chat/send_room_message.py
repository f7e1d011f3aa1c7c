"""Send a message to a room I am in: stored (idempotent by client_id), then broadcast."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnRoom, room_member
from hypehere.application.chat.frames import RoomMessageFrame
from hypehere.application.chat.room_action import RoomAction
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.errors import StorageConflictError
from hypehere.domain.chat.model import RoomMessage, client_message_id, message_content


class SendRoomMessageCommand(OnRoom, frozen=True):
    content: str
    client_id: str | None = None
    origin: str | None = None


class SendRoomMessageResult(msgspec.Struct, frozen=True):
    message: RoomMessageView
    duplicate: bool


class SendRoomMessage(RoomAction):
    async def execute(self, cmd: SendRoomMessageCommand) -> SendRoomMessageResult:
        me = cmd.actor.user_id
        content = message_content(cmd.content)
        client_id = client_message_id(cmd.client_id)
        try:
            async with self._uow:
                await room_member(self._rooms, cmd.room_id, me)
                if client_id is not None:
                    existing = await self._rooms.find_message(cmd.room_id, me, client_id)
                    if existing is not None:
                        return SendRoomMessageResult(
                            message=RoomMessageView.of(existing), duplicate=True
                        )
                seq = await self._rooms.next_seq(cmd.room_id)
                message = RoomMessage.write(
                    cmd.room_id, me, content, client_id, seq, self._clock.now()
                )
                await self._rooms.add_message(message)
                view = RoomMessageView.of(message)
                frame = RoomMessageFrame(message=view)
                self._broadcast_after_commit(cmd.room_id, frame, origin=cmd.origin)
        except StorageConflictError:
            if client_id is None:
                raise
            async with self._uow:
                again = await self._rooms.find_message(cmd.room_id, me, client_id)
            if again is None:
                raise
            return SendRoomMessageResult(message=RoomMessageView.of(again), duplicate=True)
        return SendRoomMessageResult(message=view, duplicate=False)
