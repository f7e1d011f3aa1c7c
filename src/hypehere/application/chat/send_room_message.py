"""Send a message to a room I am in: stored (idempotent by client_id), then broadcast; the
outbox gets `chat.room_message_sent` (the fail-open moderation scan) with the message.

The fail-closed tier, as for direct messages (`MessageHolding`): a new account's first
room messages are stored held (`HeldMessages[RoomMessage]`, outside the room: no sequence
number, in nobody's history but the sender's), announced as `chat.room_message_held` and
not broadcast; the sender's ack says `"moderation": "held"`. The room sees it when
moderation releases it (`ReleaseRoomMessage`)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.access import OnRoom, room_member
from hypehere.application.chat.frames import RoomMessageFrame
from hypehere.application.chat.message_holding import MessageHolding
from hypehere.application.chat.ports import ChatPeers, HeldMessages, RoomRepository
from hypehere.application.chat.room_action import RoomAction
from hypehere.application.chat.views import RoomMessageView
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.events import RoomMessageHeld, RoomMessageSent
from hypehere.domain.chat.model import RoomMessage, client_message_id, message_content
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.holding import MessageHoldPolicy

logger = structlog.get_logger(__name__)


class SendRoomMessageCommand(OnRoom, frozen=True):
    content: str
    client_id: str | None = None
    origin: str | None = None


class SendRoomMessageResult(msgspec.Struct, frozen=True):
    message: RoomMessageView
    duplicate: bool


class SendRoomMessage(RoomAction):
    def __init__(
        self,
        uow: UnitOfWork,
        rooms: RoomRepository,
        publisher: RealtimePublisher,
        clock: Clock,
        peers: ChatPeers,
        held: HeldMessages[RoomMessage],
        outbox: OutboxWriter,
        hold_policy: MessageHoldPolicy,
    ) -> None:
        super().__init__(uow, rooms, publisher, clock)
        self._held = held
        self._outbox = outbox
        self._holding = MessageHolding(peers, held, outbox, hold_policy)

    async def execute(self, cmd: SendRoomMessageCommand) -> SendRoomMessageResult:
        me = cmd.actor.user_id
        content = message_content(cmd.content)
        client_id = client_message_id(cmd.client_id)
        try:
            async with self._uow:
                await room_member(self._rooms, cmd.room_id, me)
                if client_id is not None:
                    existing = await self._stored(cmd.room_id, me, client_id)
                    if existing is not None:
                        return SendRoomMessageResult(
                            message=RoomMessageView.of(existing), duplicate=True
                        )
                now = self._clock.now()
                message = RoomMessage.write(cmd.room_id, me, content, client_id, 0, now)
                if await self._holding.holds(me, now) and await self._holding.hold(
                    message,
                    RoomMessageHeld(
                        occurred_at=now,
                        message_id=message.id,
                        room_id=cmd.room_id,
                        sender_id=me,
                    ),
                ):
                    logger.info("room_message_held", room_id=cmd.room_id, message_id=message.id)
                else:
                    seq = await self._rooms.next_seq(cmd.room_id)
                    message = RoomMessage.write(cmd.room_id, me, content, client_id, seq, now)
                    await self._rooms.add_message(message)
                    await self._outbox.add(
                        RoomMessageSent(
                            occurred_at=now,
                            message_id=message.id,
                            room_id=cmd.room_id,
                            sender_id=me,
                        )
                    )
                    frame = RoomMessageFrame(message=RoomMessageView.of(message))
                    self._broadcast_after_commit(cmd.room_id, frame, origin=cmd.origin)
                view = RoomMessageView.of(message)
        except StorageConflictError:
            if client_id is None:
                raise
            async with self._uow:
                again = await self._stored(cmd.room_id, me, client_id)
            if again is None:
                raise
            return SendRoomMessageResult(message=RoomMessageView.of(again), duplicate=True)
        return SendRoomMessageResult(message=view, duplicate=False)

    async def _stored(self, room_id: str, sender_id: str, client_id: str) -> RoomMessage | None:
        """The message a retried client_id refers to: in the room, or still held."""
        return await self._rooms.find_message(
            room_id, sender_id, client_id
        ) or await self._held.find(room_id, sender_id, client_id)
