"""`SqlHeldMessages`: a new account's first direct messages while the fail-closed
moderation tier holds them (`held_messages`, outside `messages`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.chat.conversations import message_from_row
from hypehere.adapters.sql.chat.tables import HeldMessageRow
from hypehere.adapters.sql.errors import translate_errors
from hypehere.domain.chat.model import Message

held_messages = HeldMessageRow.__table__  # type: ignore[attr-defined]
_WAITING = held_messages.c.released_at.is_(None)


def _held(row: Any) -> Message:
    return message_from_row(row, held=True)


class SqlHeldMessages:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _one(self, *conditions: Any) -> Message | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(held_messages).where(_WAITING, *conditions))
            ).first()
        return _held(row) if row else None

    async def hold(self, message: Message) -> None:
        # a savepoint: a refused duplicate leaves the caller's transaction usable
        async with translate_errors(), self._session.begin_nested():
            await self._session.execute(
                insert(held_messages).values(
                    id=message.id,
                    conversation_id=message.conversation_id,
                    sender_id=message.sender_id,
                    content=message.content,
                    client_id=message.client_id,
                    created_at=message.created_at,
                )
            )

    async def get(self, message_id: str) -> Message | None:
        return await self._one(held_messages.c.id == message_id)

    async def find(self, conversation_id: str, sender_id: str, client_id: str) -> Message | None:
        return await self._one(
            held_messages.c.conversation_id == conversation_id,
            held_messages.c.sender_id == sender_id,
            held_messages.c.client_id == client_id,
        )

    async def release(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(held_messages)
                .where(held_messages.c.id == message_id, _WAITING)
                .values(released_at=func.now(), content="")
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def waiting_before(self, before: datetime, limit: int) -> Sequence[Message]:
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(held_messages)
                    .where(_WAITING, held_messages.c.created_at < before)
                    .order_by(held_messages.c.created_at, held_messages.c.id)
                    .limit(limit)
                )
            ).all()
        return [_held(row) for row in rows]

    async def written_by(self, sender_id: str, at_most: int) -> int:
        some = (
            select(held_messages.c.id)
            .where(held_messages.c.sender_id == sender_id)
            .limit(at_most)
            .subquery()
        )
        async with translate_errors():
            return int(await self._session.scalar(select(func.count()).select_from(some)) or 0)
