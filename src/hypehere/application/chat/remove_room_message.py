"""Moderation removes an open-room message, as `RemoveMessage` does a direct one:
delivered, a placeholder replaces it in the room's history and a `message_removed` frame
tells the room's sockets after commit; still held (or withheld), it is rejected and only its
sender keeps seeing it, as a placeholder. Idempotent."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.frames import RoomMessageRemovedFrame
from hypehere.application.chat.ports import HeldMessages, RoomRepository
from hypehere.application.chat.room_action import RoomAction
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import MessageNotFoundError
from hypehere.domain.chat.model import RoomMessage
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RemoveRoomMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class RemoveRoomMessage(RoomAction):
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        publisher: RealtimePublisher,
        clock: Clock,
        held: HeldMessages[RoomMessage],
    ) -> None:
        super().__init__(uow, rooms, publisher, clock)
        self._held = held

    async def execute(self, cmd: RemoveRoomMessageCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            if await self._held.unreleased(cmd.message_id) is not None:
                rejected = await self._held.reject(cmd.message_id, now)
                logger.info(
                    "held_room_message_rejected", message_id=cmd.message_id, changed=rejected
                )
                return Changed(rejected)
            message = await self._rooms.get_message(cmd.message_id)
            if message is None:
                raise MessageNotFoundError("The message was not found.")
            if not await self._rooms.remove_message(message.id, now):
                return Changed(False)
            message.removed_at = now
            frame = RoomMessageRemovedFrame(message=RoomMessageView.of(message))
            self._broadcast_after_commit(message.room_id, frame)
        logger.info("room_message_removed", message_id=message.id, by=cmd.actor.user_id)
        return Changed(True)
