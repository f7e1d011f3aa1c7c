"""One of my conversations (participants only; 404 otherwise)."""

from __future__ import annotations

from hypehere.application.chat.access import OnConversation
from hypehere.application.chat.ports import ConversationReader
from hypehere.application.chat.views import ConversationView
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import ConversationNotFoundError


class GetConversationCommand(OnConversation, frozen=True):
    pass


class GetConversation:
    def __init__(self, uow: UnitOfWork, reader: ConversationReader) -> None:
        self._uow = uow
        self._reader = reader

    async def execute(self, cmd: GetConversationCommand) -> ConversationView:
        async with self._uow:
            view = await self._reader.view(cmd.actor.user_id, cmd.conversation_id)
        if view is None:
            raise ConversationNotFoundError("The conversation was not found.")
        return view
