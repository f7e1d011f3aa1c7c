"""Send a message in a 1:1 conversation: stored first (idempotent by client_id), then
broadcast; the outbox gets `chat.message_sent` atomically with the message."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.access import OnConversation
from hypehere.application.chat.frames import MessageFrame
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.chat.views import MessageView
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import BlockedError, ConversationNotFoundError
from hypehere.domain.chat.events import MessageSent
from hypehere.domain.chat.model import Folder, client_message_id, message_content
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)


class SendMessageCommand(OnConversation, frozen=True):
    content: str
    client_id: str | None = None
    origin: str | None = None  # the WebSocket connection that sent it (gets an ack instead)


class SendMessageResult(msgspec.Struct, frozen=True):
    message: MessageView
    duplicate: bool


class SendMessage:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        publisher: RealtimePublisher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._publisher = publisher
        self._clock = clock

    async def execute(self, cmd: SendMessageCommand) -> SendMessageResult:
        me = cmd.actor.user_id
        content = message_content(cmd.content)
        client_id = client_message_id(cmd.client_id)
        try:
            return await self._store(cmd, content, client_id)
        except StorageConflictError:
            # A retry with the same client_id (earlier or concurrent): return the stored one.
            if client_id is None:
                raise
            async with self._uow:
                existing = await self._conversations.find_message(
                    cmd.conversation_id, me, client_id
                )
            if existing is None:
                raise
            return SendMessageResult(message=MessageView.of(existing), duplicate=True)

    async def _store(
        self, cmd: SendMessageCommand, content: str, client_id: str | None
    ) -> SendMessageResult:
        me = cmd.actor.user_id
        # One read (conversation, participants, block check) and one write (sequence,
        # message, changed participants, outbox event), each atomic on its own: the block
        # autocommits where it can (two round trips on PostgreSQL, no BEGIN/COMMIT).
        async with self._uow.autocommit():
            found = await self._conversations.get_for_sender(cmd.conversation_id, me)
            if found is None or not found.conversation.is_participant(me):
                raise ConversationNotFoundError("The conversation was not found.")
            if found.blocked:
                raise BlockedError("You cannot message this user.")
            conversation = found.conversation
            # No pre-check for a retried client_id: the unique key refuses the duplicate and
            # `execute` answers with the stored message.
            others = conversation.others(me)
            now = self._clock.now()
            message, rejoined = conversation.write(
                me, content, client_id, seq=0, now=now, message_id=new_id()
            )
            event = MessageSent(
                occurred_at=message.created_at,
                message_id=message.id,
                conversation_id=conversation.id,
                sender_id=me,
                recipient_ids=tuple(p.user_id for p in others),
                is_request=any(p.folder is Folder.REQUESTS for p in others),
            )
            await self._conversations.append_message(message, rejoined, event)
            frame = MessageFrame(message=MessageView.of(message))
            self._uow.after_commit(
                lambda: self._publisher.publish(
                    conversation_topic(conversation.id), frame, origin=cmd.origin
                )
            )
        logger.debug("message_sent", conversation_id=cmd.conversation_id)
        return SendMessageResult(message=frame.message, duplicate=False)
