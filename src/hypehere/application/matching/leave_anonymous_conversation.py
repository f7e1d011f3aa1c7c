"""Leave an anonymous conversation: my partner gets `partner_left`, and my other sockets on
it are closed (leaving is for good: a socket of mine never goes on relaying after I left);
once both have left it has ended (and I may queue again)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.realtime import RealtimePublisher
from hypehere.application.common.topics import anonymous_conversation_topic
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.end_conversations import NORMAL_CLOSURE
from hypehere.application.matching.frames import PartnerLeftFrame
from hypehere.application.matching.get_anonymous_conversation import load_for
from hypehere.application.matching.ports import AnonymousConversations
from hypehere.domain.matching.events import AnonymousConversationEnded
from hypehere.domain.shared.clock import Clock


class LeaveAnonymousConversationCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str
    origin: str | None = None
    """The leaving socket's connection id (it does not get its own `partner_left`)."""


class LeaveAnonymousConversation:
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

    async def execute(self, cmd: LeaveAnonymousConversationCommand) -> bool:
        """True when this leave ended the conversation."""
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await load_for(self._conversations, cmd.conversation_id, me)
            if conversation.participant(me).left_at is not None:
                return False
            ended = conversation.leave(me, self._clock.now())
            await self._conversations.save(conversation)
            if ended:
                await self._outbox.add(AnonymousConversationEnded.of(conversation, "left"))
            partner = conversation.partner_of(me).user_id
            topic = anonymous_conversation_topic(conversation.id)

            async def tell_partner() -> None:
                await self._publisher.publish(
                    topic,
                    PartnerLeftFrame(),
                    only_user_ids=[partner],
                    origin=cmd.origin,
                    close_user_id=me,
                    close_code=NORMAL_CLOSURE,
                )

            self._uow.after_commit(tell_partner)
        return ended
