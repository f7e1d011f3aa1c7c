"""My conversations in a folder (inbox | requests), by last activity."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ConversationReader
from hypehere.application.chat.views import ConversationView
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.model import Folder
from hypehere.domain.shared.pagination import PageRequest


class ListConversationsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    folder: Folder = Folder.INBOX
    limit: int | None = None
    cursor: str | None = None


class ListConversationsResult(msgspec.Struct, frozen=True):
    items: list[ConversationView]
    next_cursor: str | None


class ListConversations:
    def __init__(self, uow: UnitOfWork, reader: ConversationReader) -> None:
        self._uow = uow
        self._reader = reader

    async def execute(self, cmd: ListConversationsCommand) -> ListConversationsResult:
        page_request = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        async with self._uow:
            page = await self._reader.list_for(cmd.actor.user_id, cmd.folder, page_request)
        return ListConversationsResult(items=page.items, next_cursor=page.next_cursor)
