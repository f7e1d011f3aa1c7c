"""Send a message to a room I am in: stored (idempotent by client_id), then broadcast."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.frames import RoomMessageFrame
from hypehere.application.chat.ports import RoomRepository
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.actor import Actor
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import room_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotRoomMemberError, RoomNotFoundError
from hypehere.domain.chat.model import RoomMessage, client_message_id, message_content
from hypehere.domain.shared.clock import Clock


class SendRoomMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    room_id: str
    content: str
    client_id: str | None = None
    origin: str | None = None


class SendRoomMessageResult(msgspec.Struct, frozen=True):
    message: RoomMessageView
    duplicate: bool


class SendRoomMessage:
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: SendRoomMessageCommand) -> SendRoomMessageResult:
        me = cmd.actor.user_id
        content = message_content(cmd.content)
        client_id = client_message_id(cmd.client_id)
        try:
            async with self._uow:
                if await self._rooms.get(cmd.room_id) is None:
                    raise RoomNotFoundError("The room was not found.")
                if await self._rooms.member(cmd.room_id, me) is None:
                    raise NotRoomMemberError("You are not in this room.")
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
                self._uow.after_commit(
                    lambda: self._publisher.publish(
                        room_topic(cmd.room_id), frame, origin=cmd.origin
                    )
                )
        except StorageConflictError:
            if client_id is None:
                raise
            async with self._uow:
                again = await self._rooms.find_message(cmd.room_id, me, client_id)
            if again is None:
                raise
            return SendRoomMessageResult(message=RoomMessageView.of(again), duplicate=True)
        return SendRoomMessageResult(message=view, duplicate=False)
