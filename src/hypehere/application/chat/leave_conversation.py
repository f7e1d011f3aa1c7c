"""Leave a conversation (history is kept; a new message re-adds me). Declining a request
is leaving it."""

from __future__ import annotations

from hypehere.application.chat.access import OnConversation, participating
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock


class LeaveConversationCommand(OnConversation, frozen=True):
    pass


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
            conversation = await participating(self._conversations, cmd.conversation_id, me)
            conversation.participant(me).leave(self._clock.now())
            await self._conversations.save_participant(conversation, me)
