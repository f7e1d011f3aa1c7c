"""Accept a conversation request: it moves from `requests` to my inbox."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import ConversationNotFoundError


class AcceptConversationCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str


class AcceptConversation:
    def __init__(self, uow: UnitOfWork, conversations: ConversationRepository) -> None:
        self._uow = uow
        self._conversations = conversations

    async def execute(self, cmd: AcceptConversationCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await self._conversations.get(cmd.conversation_id)
            if conversation is None or not conversation.is_participant(me):
                raise ConversationNotFoundError("The conversation was not found.")
            conversation.participant(me).accept()
            await self._conversations.save_participant(conversation, me)
