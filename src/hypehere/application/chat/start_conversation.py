"""Get or create the 1:1 conversation between the actor and another user."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.ports import ChatPeers, ConversationReader, ConversationRepository
from hypehere.application.chat.views import ConversationView
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.chat.errors import BlockedError, ChatPartnerNotFoundError
from hypehere.domain.chat.model import Conversation, initial_folder, pair_key
from hypehere.domain.shared.clock import Clock


class StartConversationCommand(msgspec.Struct, frozen=True):
    actor: Actor
    user_id: str


class StartConversationResult(msgspec.Struct, frozen=True):
    conversation: ConversationView
    created: bool


class StartConversation:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: ConversationRepository,
        reader: ConversationReader,
        peers: ChatPeers,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._reader = reader
        self._peers = peers
        self._clock = clock

    async def execute(self, cmd: StartConversationCommand) -> StartConversationResult:
        me, other = cmd.actor.user_id, cmd.user_id
        key = pair_key(me, other)
        async with self._uow:
            if not await self._peers.exists(other):
                raise ChatPartnerNotFoundError("The user was not found.")
            if await self._peers.blocked_either_way(me, other):
                raise BlockedError("You cannot message this user.")
            conversation = await self._conversations.find_by_pair(key)
            created = False
            if conversation is None:
                settings = (await self._peers.chat_settings([other]))[other]
                follows = await self._peers.follows(other, me)
                folder = initial_folder(settings.chat_policy, follows)
                fresh = Conversation.open_direct(me, other, folder, self._clock.now())
                conversation = await self._conversations.add(fresh)
                created = conversation.id == fresh.id
            else:
                mine = conversation.participant(me)
                if mine.rejoin():
                    await self._conversations.save_participant(conversation, me)
        async with self._uow:
            view = await self._reader.view(me, conversation.id)
        assert view is not None
        return StartConversationResult(conversation=view, created=created)
