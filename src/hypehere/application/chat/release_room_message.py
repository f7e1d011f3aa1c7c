"""Moderation releases a held room message (the fail-closed tier): its verdict was safe, or
staff approved it. It is appended to its room now, as if just sent (`ReleaseMessage` does
the same for direct messages): the next sequence number, so it is in the members' history
and in a catch-up after any message they have, `chat.room_message_sent`, and a `message`
frame through the broker to everyone in the room (the sender's sockets included).
Idempotent: a message that is not held any more changes nothing. A sender who is out of
the room by then (left, kicked or banned while it was held; or left and came back, so
joined after writing it) does not get it delivered: it is withheld, as a direct message
is after a block (never delivered, not released later, its sender's own history only)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.frames import RoomMessageFrame
from hypehere.application.chat.ports import HeldMessages, RoomRepository
from hypehere.application.chat.room_action import RoomAction
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.events import RoomMessageSent
from hypehere.domain.chat.model import RoomMessage
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReleaseRoomMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class ReleaseRoomMessage(RoomAction):
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        publisher: RealtimePublisher,
        clock: Clock,
        held: HeldMessages[RoomMessage],
        outbox: OutboxWriter,
    ) -> None:
        super().__init__(uow, rooms, publisher, clock)
        self._held = held
        self._outbox = outbox

    async def execute(self, cmd: ReleaseRoomMessageCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            held = await self._held.get(cmd.message_id)
            room = await self._rooms.get(held.room_id) if held else None
            if held is None or room is None:
                return Changed(False)  # released already (or its room is gone)
            sender = await self._rooms.member(room.id, held.sender_id)
            if sender is None or sender.joined_at > held.created_at:
                await self._held.withhold(held.id)
                logger.info("room_message_withheld", message_id=held.id, by=cmd.actor.user_id)
                return Changed(False)
            if not await self._held.release(held.id):
                return Changed(False)  # a concurrent release won
            now = self._clock.now()
            seq = await self._rooms.next_seq(room.id)
            message = RoomMessage.write(
                room.id, held.sender_id, held.content, held.client_id, seq, now, held.id
            )
            await self._rooms.add_message(message)
            await self._outbox.add(
                RoomMessageSent(
                    occurred_at=now,
                    message_id=message.id,
                    room_id=room.id,
                    sender_id=message.sender_id,
                )
            )
            self._broadcast_after_commit(room.id, RoomMessageFrame(RoomMessageView.of(message)))
        logger.info("room_message_released", message_id=message.id, by=cmd.actor.user_id)
        return Changed(True)
