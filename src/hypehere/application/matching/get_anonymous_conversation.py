"""An anonymous conversation as one of its two participants sees it (404 for anyone else)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.ports import AnonymousConversations, MatchingPeers
from hypehere.application.matching.run_matcher import partner_view
from hypehere.application.matching.views import AnonymousConversationView, PublicProfile
from hypehere.domain.matching.conversation import AnonymousConversation
from hypehere.domain.matching.errors import AnonymousConversationNotFoundError


class GetAnonymousConversationCommand(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str


async def load_for(
    conversations: AnonymousConversations, conversation_id: str, user_id: str
) -> AnonymousConversation:
    """The conversation if `user_id` is one of its participants, else not found."""
    conversation = await conversations.get(conversation_id)
    if conversation is None or not conversation.is_participant(user_id):
        raise AnonymousConversationNotFoundError("The conversation was not found.")
    return conversation


async def view_for(
    conversation: AnonymousConversation, user_id: str, peers: MatchingPeers
) -> AnonymousConversationView:
    partner = conversation.partner_of(user_id)
    shown: PublicProfile | None = None
    if conversation.revealed:
        shown = (await peers.public_profiles([partner.user_id])).get(partner.user_id)
    return AnonymousConversationView(
        id=conversation.id,
        kind="anonymous",
        mode=conversation.mode.value,
        started_at=conversation.started_at,
        ended_at=conversation.ended_at,
        revealed=conversation.revealed,
        partner=msgspec.to_builtins(shown if shown is not None else partner_view(partner)),
    )


class GetAnonymousConversation:
    def __init__(
        self, uow: UnitOfWork, conversations: AnonymousConversations, peers: MatchingPeers
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._peers = peers

    async def execute(self, cmd: GetAnonymousConversationCommand) -> AnonymousConversationView:
        me = cmd.actor.user_id
        async with self._uow:
            conversation = await load_for(self._conversations, cmd.conversation_id, me)
            return await view_for(conversation, me, self._peers)
