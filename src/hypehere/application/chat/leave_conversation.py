"""Leave a conversation (history is kept; a new message re-adds me). Declining a request
is leaving it."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import ConversationNotFoundError
from hypehere.domain.shared.clock import Clock


class LeaveConversationCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str


class LeaveConversation:
    def __init__(
        self, uow: UnitOfWork, conversations: ConversationRepository, clock: Clock
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._clock = clock

    async def execute(self, cmd: LeaveConversationCommand) -> None:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await self._conversations.get(cmd.conversation_id)
            if conversation is None or not conversation.is_participant(me):
                raise ConversationNotFoundError("The conversation was not found.")
            conversation.participant(me).leave(self._clock.now())
            await self._conversations.save_participant(conversation, me)
