"""Send a message in a 1:1 conversation: stored first (idempotent by client_id), then
broadcast; the outbox gets `chat.message_sent` atomically with the message.

The fail-closed moderation tier (`MessageHolding`, shared with room messages): a new
account's first messages are stored held (`HeldMessages`, outside the conversation),
announced as `chat.message_held` and not broadcast: the sender's ack says
`"moderation": "held"`; the recipient learns of it when moderation releases it
(`ReleaseMessage`: appended and broadcast then)."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.chat.access import OnConversation
from hypehere.application.chat.frames import MessageFrame
from hypehere.application.chat.message_holding import MessageHolding
from hypehere.application.chat.ports import ChatPeers, ConversationRepository, HeldMessages
from hypehere.application.chat.views import MessageView
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import BlockedError, ConversationNotFoundError
from hypehere.domain.chat.events import MessageHeld, MessageSent
from hypehere.domain.chat.model import (
    Conversation,
    Folder,
    Message,
    Participant,
    client_message_id,
    message_content,
)
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.holding import MessageHoldPolicy
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
        peers: ChatPeers,
        held: HeldMessages[Message],
        outbox: OutboxWriter,
        hold_policy: MessageHoldPolicy,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._publisher = publisher
        self._clock = clock
        self._held = held
        self._holding = MessageHolding(peers, held, outbox, hold_policy)

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
                ) or await self._held.find(cmd.conversation_id, me, client_id)
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
            now = self._clock.now()
            message, rejoined = conversation.write(
                me, content, client_id, seq=0, now=now, message_id=new_id()
            )
            new_account = await self._holding.new_account(me, now)
            if new_account and client_id is not None:
                # a retry of a message of theirs still held: answered with that one
                retried = await self._held.find(conversation.id, me, client_id)
                if retried is not None:
                    return SendMessageResult(message=MessageView.of(retried), duplicate=True)
            hold = new_account and await self._holding.holds_next(me)
            if not hold:
                await self._append(conversation, message, rejoined, cmd.origin)
        if hold:
            # outside the conversation (no sequence number, no participant change until
            # it is released), in a transaction of its own: the message and its event
            async with self._uow:
                held = await self._holding.hold(
                    message,
                    MessageHeld(
                        occurred_at=now,
                        message_id=message.id,
                        conversation_id=conversation.id,
                        sender_id=me,
                    ),
                )
            if held:
                logger.info("message_held", conversation_id=conversation.id, message_id=message.id)
                return SendMessageResult(message=MessageView.of(message), duplicate=False)
            # a concurrent send of theirs took the tier's last place first: delivered
            async with self._uow.autocommit():
                await self._append(conversation, message, rejoined, cmd.origin)
        logger.debug("message_sent", conversation_id=cmd.conversation_id)
        return SendMessageResult(message=MessageView.of(message), duplicate=False)

    async def _append(
        self,
        conversation: Conversation,
        message: Message,
        rejoined: list[Participant],
        origin: str | None,
    ) -> None:
        """Append `message` to its conversation with its `chat.message_sent`, and publish it
        once committed (the unit of work's last write: see `append_message`)."""
        others = conversation.others(message.sender_id)
        event = MessageSent(
            occurred_at=message.created_at,
            message_id=message.id,
            conversation_id=conversation.id,
            sender_id=message.sender_id,
            recipient_ids=tuple(p.user_id for p in others),
            is_request=any(p.folder is Folder.REQUESTS for p in others),
        )
        await self._conversations.append_message(message, rejoined, event)
        frame = MessageFrame(message=MessageView.of(message))
        self._uow.after_commit(
            lambda: self._publisher.publish(
                conversation_topic(conversation.id), frame, origin=origin
            )
        )
