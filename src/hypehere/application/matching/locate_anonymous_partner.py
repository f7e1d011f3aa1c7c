"""An anonymous conversation as one of its participants reports it: who the partner is
(for the report only, never shown to the reporter) and the transcript as it stands, each
entry marked as the reporter's or the partner's. AnonymousConversationNotFoundError for
anyone but a participant; an empty transcript when none was kept or it has lapsed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.matching.get_anonymous_conversation import load_for
from hypehere.application.matching.ports import AnonymousConversations
from hypehere.application.matching.transcript_ports import AnonymousTranscripts


class LocateAnonymousPartnerQuery(msgspec.Struct, frozen=True):
    actor: Actor
    conversation_id: str


class TranscriptLineView(msgspec.Struct, frozen=True):
    from_: Literal["reporter", "reported"]
    content: str
    created_at: datetime


class AnonymousPartnerView(msgspec.Struct, frozen=True):
    partner_id: str
    transcript: list[TranscriptLineView]


class LocateAnonymousPartner:
    def __init__(
        self,
        uow: UnitOfWork,
        conversations: AnonymousConversations,
        transcripts: AnonymousTranscripts,
    ) -> None:
        self._uow = uow
        self._conversations = conversations
        self._transcripts = transcripts

    async def execute(self, query: LocateAnonymousPartnerQuery) -> AnonymousPartnerView:
        me = query.actor.user_id
        async with self._uow:
            conversation = await load_for(self._conversations, query.conversation_id, me)
        entries = await self._transcripts.read(conversation.id)
        return AnonymousPartnerView(
            partner_id=conversation.partner_of(me).user_id,
            transcript=[
                TranscriptLineView(
                    from_="reporter" if e.sender_id == me else "reported",
                    content=e.content,
                    created_at=e.created_at,
                )
                for e in entries
            ],
        )
