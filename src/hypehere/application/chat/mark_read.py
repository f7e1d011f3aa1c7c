"""Mark a conversation read up to its latest message; a `read` receipt goes to the other
side only when both the reader and the receiver have `send_read_receipts` on."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnConversation, participating
from hypehere.application.chat.frames import ReadReceiptFrame
from hypehere.application.chat.ports import ChatPeers, ConversationRepository
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork


class MarkReadCommand(OnConversation, frozen=True):
    origin: str | None = None


class MarkReadResult(msgspec.Struct, frozen=True):
    last_read_message_id: str | None
    receipt_sent_to: list[str]


class MarkRead:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        peers: ChatPeers,
        publisher: RealtimePublisher,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._peers = peers
        self._publisher = publisher

    async def execute(self, cmd: MarkReadCommand) -> MarkReadResult:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await participating(self._conversations, cmd.conversation_id, me)
            mine = conversation.participant(me)
            latest = await self._conversations.latest_message(conversation.id)
            moved = latest is not None and mine.mark_read(latest.id, latest.seq)
            if moved:
                await self._conversations.save_participant(conversation, me)
            others = [p.user_id for p in conversation.others(me)]
            settings = await self._peers.chat_settings([me, *others])
            receivers: list[str] = []
            if moved and settings[me].send_read_receipts:
                receivers = [u for u in others if settings[u].send_read_receipts]
            # My own other devices always learn that I read; the other side only by consent.
            read = ReadReceiptFrame(user_id=me, last_read_message_id=mine.last_read_message_id)
            self._uow.after_commit(
                lambda: self._publisher.publish(
                    conversation_topic(conversation.id),
                    read,
                    origin=cmd.origin,
                    only_user_ids=[me, *receivers],
                )
            )
        return MarkReadResult(
            last_read_message_id=mine.last_read_message_id, receipt_sent_to=receivers
        )
