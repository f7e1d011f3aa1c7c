"""Accept a conversation request: it moves from `requests` to my inbox."""

from __future__ import annotations

from hypehere.application.chat.access import OnConversation, participating
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.uow import UnitOfWork


class AcceptConversationCommand(OnConversation, frozen=True):
    pass


class AcceptConversation:
    def __init__(self, uow: UnitOfWork, conversations: ConversationRepository) -> None:
        self._uow = uow
        self._conversations = conversations

    async def execute(self, cmd: AcceptConversationCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await participating(self._conversations, cmd.conversation_id, me)
            conversation.participant(me).accept()
            await self._conversations.save_participant(conversation, me)
