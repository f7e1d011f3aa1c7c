"""A conversation's history for its participants: newest first (`cursor`), or the
messages after one (`after`, oldest first) to catch up after a reconnect. A sender's own
messages still held by moderation top their newest page (marked `moderation: held`); the
other participant never sees them before their release."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnConversation, participating
from hypehere.application.chat.history import HELD_SHOWN, history_page
from hypehere.application.chat.ports import (
    ConversationReader,
    ConversationRepository,
    HeldMessages,
)
from hypehere.application.chat.views import MessageView
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import Message


class ListMessagesCommand(OnConversation, frozen=True):
    limit: int | None = None
    cursor: str | None = None
    after: str | None = None


class ListMessagesResult(msgspec.Struct, frozen=True):
    items: list[MessageView]
    next_cursor: str | None


class ListMessages:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        reader: ConversationReader,
        held: HeldMessages[Message],
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._reader = reader
        self._held = held

    async def execute(self, cmd: ListMessagesCommand) -> ListMessagesResult:
        conversation_id, me = cmd.conversation_id, cmd.actor.user_id
        async with self._uow:
            await participating(self._conversations, conversation_id, me)
            held = []
            if cmd.cursor is None and cmd.after is None:  # the newest page
                mine = await self._held.waiting_for(conversation_id, me, HELD_SHOWN)
                held = [MessageView.of(m) for m in mine]
            page = await history_page(
                self._reader,
                conversation_id,
                limit=cmd.limit,
                cursor=cmd.cursor,
                after=cmd.after,
                held=held,
            )
        return ListMessagesResult(items=page.items, next_cursor=page.next_cursor)
