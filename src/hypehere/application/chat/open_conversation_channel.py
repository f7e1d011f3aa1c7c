"""Authorize a WebSocket on a conversation: participants only. Returns the topic."""

from __future__ import annotations

from hypehere.application.chat.access import OnConversation
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.topics import conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import NotParticipantError


class OpenConversationChannelCommand(OnConversation, frozen=True):
    pass


class OpenConversationChannel:
    def __init__(self, uow: UnitOfWork, conversations: ConversationRepository) -> None:
        self._uow = uow
        self._conversations = conversations

    async def execute(self, cmd: OpenConversationChannelCommand) -> str:
        async with self._uow:
            conversation = await self._conversations.get(cmd.conversation_id)
        if conversation is None or not conversation.is_participant(cmd.actor.user_id):
            raise NotParticipantError("You are not a participant of this conversation.")
        return conversation_topic(conversation.id)
