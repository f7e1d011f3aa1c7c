"""A conversation's history for its participants: newest first (`cursor`), or the
messages after one (`after`, oldest first) to catch up after a reconnect."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.access import OnConversation, participating
from hypehere.application.chat.history import history_page
from hypehere.application.chat.ports import ConversationReader, ConversationRepository
from hypehere.application.chat.views import MessageView
from hypehere.application.common.uow import UnitOfWork


class ListMessagesCommand(OnConversation, frozen=True):
    limit: int | None = None
    cursor: str | None = None
    after: str | None = None


class ListMessagesResult(msgspec.Struct, frozen=True):
    items: list[MessageView]
    next_cursor: str | None


class ListMessages:
    def __init__(
        self, uow: UnitOfWork, conversations: ConversationRepository, reader: ConversationReader
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._reader = reader

    async def execute(self, cmd: ListMessagesCommand) -> ListMessagesResult:
        conversation_id = cmd.conversation_id
        async with self._uow:
            await participating(self._conversations, conversation_id, cmd.actor.user_id)
            page = await history_page(
                self._reader, conversation_id, limit=cmd.limit, cursor=cmd.cursor, after=cmd.after
            )
        return ListMessagesResult(items=page.items, next_cursor=page.next_cursor)
