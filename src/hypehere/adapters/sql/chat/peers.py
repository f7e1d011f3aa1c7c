"""`SqlChatPeers`: what chat needs to know about users, read through the users module's
published queries (never its tables)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.users.queries import (
    blocked_either_way,
    chat_settings,
    follows_clause,
    public_users,
    user_exists_clause,
)
from hypehere.application.chat.ports import ChatSettings
from hypehere.domain.chat.model import ChatPolicy
from hypehere.domain.shared.clock import ensure_utc

_BLOCKED = select(blocked_either_way(bindparam("a"), bindparam("b")))


class SqlChatPeers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def exists(self, user_id: str) -> bool:
        """An account that can be messaged: it exists and is not gone, going or banned."""
        async with translate_errors():
            return bool(await self._session.scalar(select(user_exists_clause(user_id))))

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool:
        async with translate_errors():
            return bool(await self._session.scalar(_BLOCKED, {"a": user_a, "b": user_b}))

    async def follows(self, follower_id: str, followee_id: str) -> bool:
        async with translate_errors():
            return bool(
                await self._session.scalar(select(follows_clause(follower_id, followee_id)))
            )

    async def chat_settings(self, user_ids: Iterable[str]) -> dict[str, ChatSettings]:
        ids = list(dict.fromkeys(user_ids))
        async with translate_errors():
            rows = (await self._session.execute(chat_settings(ids))).all()
        found = {
            row.id: ChatSettings(
                chat_policy=ChatPolicy(row.chat_policy),
                send_read_receipts=bool(row.send_read_receipts),
            )
            for row in rows
        }
        return {user_id: found.get(user_id, ChatSettings()) for user_id in ids}

    async def joined_at(self, user_id: str) -> datetime | None:
        async with translate_errors():
            found = await self._session.scalar(
                select(public_users.c.created_at).where(public_users.c.id == user_id)
            )
        return ensure_utc(found) if found else None
