"""`SqlAnonymousConversations`: anonymous conversations and their participants (no
messages: those are only relayed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.matching.tables import (
    anonymous_conversations_t as conversations,
)
from hypehere.adapters.sql.matching.tables import (
    anonymous_members_t as participants,
)
from hypehere.domain.matching.conversation import AnonymousConversation, AnonymousParticipant
from hypehere.domain.matching.model import ChatMode, LearnedLanguage

_languages_encoder = msgspec.json.Encoder()
_languages_decoder = msgspec.json.Decoder(tuple[LearnedLanguage, ...])


class SqlAnonymousConversations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, conversation: AnonymousConversation) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(conversations).values(
                    id=conversation.id,
                    mode=conversation.mode.value,
                    started_at=conversation.started_at,
                    ended_at=conversation.ended_at,
                    revealed_at=conversation.revealed_at,
                )
            )
            await self._session.execute(
                insert(participants),
                [
                    {
                        "conversation_id": conversation.id,
                        "user_id": p.user_id,
                        "position": position,
                        "native_language": p.native_language,
                        "target_languages": _languages_encoder.encode(p.target_languages).decode(),
                        "left_at": p.left_at,
                        "reveal_accepted": p.reveal_accepted,
                        "replied": p.replied,
                    }
                    for position, p in enumerate(conversation.participants)
                ],
            )

    async def get(self, conversation_id: str) -> AnonymousConversation | None:
        found = await self._load([conversation_id])
        return found[0] if found else None

    async def save(self, conversation: AnonymousConversation) -> None:
        async with translate_errors():
            await self._session.execute(
                update(conversations)
                .where(conversations.c.id == conversation.id)
                .values(ended_at=conversation.ended_at, revealed_at=conversation.revealed_at)
            )
            for p in conversation.participants:
                await self._session.execute(
                    update(participants)
                    .where(
                        participants.c.conversation_id == conversation.id,
                        participants.c.user_id == p.user_id,
                    )
                    .values(left_at=p.left_at, reveal_accepted=p.reveal_accepted, replied=p.replied)
                )

    async def record_reply(self, conversation_id: str, user_id: str) -> None:
        async with translate_errors():
            await self._session.execute(
                update(participants)
                .where(
                    participants.c.conversation_id == conversation_id,
                    participants.c.user_id == user_id,
                    participants.c.replied.is_(False),
                )
                .values(replied=True)
            )

    async def open_for(self, user_id: str) -> AnonymousConversation | None:
        statement = (
            select(conversations.c.id)
            .join(participants, participants.c.conversation_id == conversations.c.id)
            .where(participants.c.user_id == user_id, conversations.c.ended_at.is_(None))
            .order_by(conversations.c.started_at.desc())
            .limit(1)
        )
        async with translate_errors():
            conversation_id = await self._session.scalar(statement)
        return await self.get(conversation_id) if conversation_id is not None else None

    async def ended_for(self, user_id: str, since: datetime) -> list[AnonymousConversation]:
        statement = (
            select(conversations.c.id)
            .join(participants, participants.c.conversation_id == conversations.c.id)
            .where(
                participants.c.user_id == user_id,
                conversations.c.ended_at.is_not(None),
                conversations.c.started_at >= since,
            )
            .order_by(conversations.c.started_at)
        )
        async with translate_errors():
            ids = list((await self._session.scalars(statement)).all())
        return await self._load(ids)

    async def open_started_before(
        self, before: datetime, limit: int
    ) -> list[AnonymousConversation]:
        statement = (
            select(conversations.c.id)
            .where(conversations.c.ended_at.is_(None), conversations.c.started_at < before)
            .order_by(conversations.c.started_at, conversations.c.id)
            .limit(limit)
        )
        async with translate_errors():
            ids = list((await self._session.scalars(statement)).all())
        return await self._load(ids)

    async def _load(self, ids: list[str]) -> list[AnonymousConversation]:
        if not ids:
            return []
        async with translate_errors():
            heads = (
                await self._session.execute(
                    select(conversations).where(conversations.c.id.in_(ids))
                )
            ).all()
            rows = (
                await self._session.execute(
                    select(participants)
                    .where(participants.c.conversation_id.in_(ids))
                    .order_by(participants.c.conversation_id, participants.c.position)
                )
            ).all()
        by_conversation: dict[str, list[Any]] = {}
        for row in rows:
            by_conversation.setdefault(row.conversation_id, []).append(row)
        loaded = {head.id: _conversation(head, by_conversation.get(head.id, [])) for head in heads}
        return [loaded[i] for i in ids if i in loaded]


def _conversation(head: Any, rows: list[Any]) -> AnonymousConversation:
    first, second = (
        AnonymousParticipant(
            user_id=row.user_id,
            native_language=row.native_language,
            target_languages=_languages_decoder.decode(row.target_languages),
            left_at=row.left_at,
            reveal_accepted=bool(row.reveal_accepted),
            replied=bool(row.replied),
        )
        for row in rows
    )
    return AnonymousConversation(
        id=head.id,
        mode=ChatMode(head.mode),
        started_at=head.started_at,
        participants=(first, second),
        ended_at=head.ended_at,
        revealed_at=head.revealed_at,
    )
