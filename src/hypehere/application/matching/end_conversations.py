"""Ending anonymous conversations from outside the chat: `anonymous-cleanup` ends the
abandoned ones, a block between the two participants ends theirs. Both sides' sockets get
`{"type": "ended", "reason"}` and are closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import msgspec

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.presence import Presence
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.frames import ConversationEndedFrame
from hypehere.application.matching.ports import AnonymousConversations, MatchingLimits
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.events import AnonymousConversationEnded
from hypehere.domain.shared.clock import Clock

CLEANUP_BATCH = 500
NORMAL_CLOSURE = 1000


async def announce_end(
    publisher: RealtimePublisher, conversation: AnonymousConversation, reason: str
) -> None:
    topic = anonymous_conversation_topic(conversation.id)
    for user_id in conversation.user_ids:
        await publisher.publish(
            topic,
            ConversationEndedFrame(reason=reason),
            only_user_ids=[user_id],
            close_user_id=user_id,
            close_code=NORMAL_CLOSURE,
        )


class EndAbandonedConversationsCommand(msgspec.Struct, frozen=True):
    pass


class EndAbandonedConversationsResult(msgspec.Struct, frozen=True):
    ended: int


class EndAbandonedConversations:
    """Open conversations started more than `abandoned_after_minutes` ago of which no
    participant still in it is online."""

    def __init__(
        self,
        uow: UnitOfWork,
        conversations: AnonymousConversations,
        presence: Presence,
        publisher: RealtimePublisher,
        outbox: OutboxWriter,
        clock: Clock,
        limits: MatchingLimits,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._presence = presence
        self._publisher = publisher
        self._outbox = outbox
        self._clock = clock
        self._limits = limits

    async def execute(
        self, cmd: EndAbandonedConversationsCommand
    ) -> EndAbandonedConversationsResult:
        now = self._clock.now()
        cutoff = now - timedelta(minutes=self._limits.abandoned_after_minutes)
        ended = 0
        async with self._uow:
            candidates = await self._conversations.open_started_before(cutoff, CLEANUP_BATCH)
            staying = {p.user_id for c in candidates for p in c.participants if p.left_at is None}
            online = await self._presence.online(staying)
            for conversation in candidates:
                still_in = [p.user_id for p in conversation.participants if p.left_at is None]
                if any(user_id in online for user_id in still_in):
                    continue
                conversation.end(now)
                await self._conversations.save(conversation)
                await self._outbox.add(AnonymousConversationEnded.of(conversation, "abandoned"))
                self._uow.after_commit(self._announcer(conversation))
                ended += 1
        return EndAbandonedConversationsResult(ended=ended)

    def _announcer(self, conversation: AnonymousConversation) -> Callable[[], Awaitable[None]]:
        async def announce() -> None:
            await announce_end(self._publisher, conversation, "abandoned")

        return announce


class EndOnBlockCommand(msgspec.Struct, frozen=True):
    blocker_id: str
    blocked_id: str


class EndOnBlock:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: AnonymousConversations,
        publisher: RealtimePublisher,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._publisher = publisher
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: EndOnBlockCommand) -> bool:
        async with self._uow:
            conversation = await self._conversations.open_for(cmd.blocker_id)
            if conversation is None or not conversation.is_participant(cmd.blocked_id):
                return False
            conversation.end(self._clock.now())
            await self._conversations.save(conversation)
            await self._outbox.add(AnonymousConversationEnded.of(conversation, "blocked"))

            async def announce() -> None:
                await announce_end(self._publisher, conversation, "blocked")

            self._uow.after_commit(announce)
        return True
