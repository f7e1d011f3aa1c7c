"""Moderation releases a held direct message (the fail-closed tier): its verdict was safe,
or staff approved it. It is appended to its conversation now, as if just sent: the next
sequence number, the recipient's unread count and history, `chat.message_sent` (the
recipient's notification), and a `message` frame through the broker to everyone in the
conversation (the sender's other sockets included). Idempotent: a message that is not held
any more changes nothing. A block made (either way) while it was held stops it: it is
withheld, never delivered, and stays in its sender's own history only."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.frames import MessageFrame
from hypehere.application.chat.ports import ConversationRepository, HeldMessages
from hypehere.application.chat.views import MessageView
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.chat.model import Folder, Message
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class ReleaseMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class ReleaseMessage:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        held: HeldMessages[Message],
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._held = held
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: ReleaseMessageCommand) -> Changed:
        require_staff(cmd.actor)
        async with self._uow:
            held = await self._held.get(cmd.message_id)
            found = (
                await self._conversations.get_for_sender(held.conversation_id, held.sender_id)
                if held
                else None
            )
            if held is None or found is None:
                return Changed(False)  # released already (or its conversation is gone)
            if found.blocked:
                await self._held.withhold(held.id)
                logger.info("message_withheld", message_id=held.id, by=cmd.actor.user_id)
                return Changed(False)
            if not await self._held.release(held.id):
                return Changed(False)  # a concurrent release won
            conversation = found.conversation
            now = self._clock.now()
            message, rejoined = conversation.write(
                held.sender_id, held.content, held.client_id, seq=0, now=now, message_id=held.id
            )
            others = conversation.others(held.sender_id)
            await self._conversations.append_message(
                message,
                rejoined,
                MessageSent(
                    occurred_at=now,
                    message_id=message.id,
                    conversation_id=conversation.id,
                    sender_id=message.sender_id,
                    recipient_ids=tuple(p.user_id for p in others),
                    is_request=any(p.folder is Folder.REQUESTS for p in others),
                ),
            )
            frame = MessageFrame(message=MessageView.of(message))
            topic = conversation_topic(conversation.id)
            self._uow.after_commit(lambda: self._publisher.publish(topic, frame))
        logger.info("message_released", message_id=message.id, by=cmd.actor.user_id)
        return Changed(True)
