"""A conversation's history for its participants: newest first (`cursor`), or the
messages after one (`after`, oldest first) to catch up after a reconnect."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.history import history_page
from hypehere.application.chat.ports import ConversationReader, ConversationRepository
from hypehere.application.chat.views import MessageView
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import ConversationNotFoundError


class ListMessagesCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str
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
            conversation = await self._conversations.get(conversation_id)
            if conversation is None or not conversation.is_participant(cmd.actor.user_id):
                raise ConversationNotFoundError("The conversation was not found.")
            page = await history_page(
                self._reader, conversation_id, limit=cmd.limit, cursor=cmd.cursor, after=cmd.after
            )
        return ListMessagesResult(items=page.items, next_cursor=page.next_cursor)
