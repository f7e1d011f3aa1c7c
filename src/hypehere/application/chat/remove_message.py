"""Moderation removes a direct message (a staff decision on a report or on the automatic
moderation queue). Delivered, it is replaced for everyone by a placeholder (`removed: true`,
no text) in the history and the conversation list, and a `message_removed` frame tells the
sockets in the conversation, after commit. Still held by the fail-closed tier (or withheld),
it is rejected: never delivered, its sender alone keeps seeing it, as a placeholder.
Idempotent: a message removed already changes nothing."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.frames import MessageRemovedFrame
from hypehere.application.chat.ports import ConversationRepository, HeldMessages
from hypehere.application.chat.views import MessageView
from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.commands import Changed
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import MessageNotFoundError
from hypehere.domain.chat.model import Message
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)


class RemoveMessageCommand(msgspec.Struct, frozen=True):
    actor: Actor
    message_id: str


class RemoveMessage:
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

    async def execute(self, cmd: RemoveMessageCommand) -> Changed:
        require_staff(cmd.actor)
        now = self._clock.now()
        async with self._uow:
            if await self._held.unreleased(cmd.message_id) is not None:
                rejected = await self._held.reject(cmd.message_id, now)
                logger.info("held_message_rejected", message_id=cmd.message_id, changed=rejected)
                return Changed(rejected)
            message = await self._conversations.get_message(cmd.message_id)
            if message is None:
                raise MessageNotFoundError("The message was not found.")
            if not await self._conversations.remove_message(message.id, now):
                return Changed(False)
            message.removed_at = now
            frame = MessageRemovedFrame(message=MessageView.of(message))
            topic = conversation_topic(message.conversation_id)
            self._uow.after_commit(lambda: self._publisher.publish(topic, frame))
        logger.info("message_removed", message_id=message.id, by=cmd.actor.user_id)
        return Changed(True)
