"""`HeldMessages` over SQL: a new account's first messages while the fail-closed moderation
tier holds them, outside their channel. One implementation over two tables of the same
shape: `SqlHeldMessages` (`held_messages`, direct conversations) and `SqlHeldRoomMessages`
(`held_room_messages`, open rooms); `channel` names the conversation or room column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic

from sqlalchemy import Table, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.chat.conversations import message_from_row
from hypehere.adapters.sql.chat.rooms import room_message_from_row
from hypehere.adapters.sql.chat.tables import HeldMessageRow, HeldRoomMessageRow
from hypehere.adapters.sql.errors import translate_errors
from hypehere.application.chat.ports import M
from hypehere.domain.chat.model import Message, RoomMessage


class _SqlHeld(Generic[M]):
    table: ClassVar[Table]
    channel: ClassVar[str]  # the column (and domain attribute) of the conversation or room

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _held(self, row: Any) -> M:
        raise NotImplementedError

    @property
    def _waiting(self) -> Any:
        c = self.table.c
        return and_(c.released_at.is_(None), c.withheld_at.is_(None), c.removed_at.is_(None))

    async def _one(self, *conditions: Any) -> M | None:
        async with translate_errors():
            row = (
                await self._session.execute(select(self.table).where(self._waiting, *conditions))
            ).first()
        return self._held(row) if row else None

    async def hold(self, message: M) -> None:
        # a savepoint: a refused duplicate leaves the caller's transaction usable
        async with translate_errors(), self._session.begin_nested():
            await self._session.execute(
                insert(self.table).values(
                    {
                        "id": message.id,
                        self.channel: getattr(message, self.channel),
                        "sender_id": message.sender_id,
                        "content": message.content,
                        "client_id": message.client_id,
                        "created_at": message.created_at,
                    }
                )
            )

    async def hold_first(self, message: M, first: int) -> bool:
        if self._session.get_bind().dialect.name == "postgresql":
            # Serialize one sender's holds of this kind until the transaction ends, so two
            # concurrent sends cannot both count the same rows. (SQLite transactions are
            # already serialized by BEGIN IMMEDIATE.)
            key = f"{self.table.name}:{message.sender_id}"
            async with translate_errors():
                await self._session.execute(
                    select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0)))
                )
        if await self.written_by(message.sender_id, first) >= first:
            return False
        await self.hold(message)
        return True

    async def get(self, message_id: str) -> M | None:
        return await self._one(self.table.c.id == message_id)

    async def _unreleased(self, *conditions: Any) -> M | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(self.table).where(self.table.c.released_at.is_(None), *conditions)
                )
            ).first()
        return self._held(row) if row else None

    async def unreleased(self, message_id: str) -> M | None:
        return await self._unreleased(self.table.c.id == message_id)

    async def find(self, channel_id: str, sender_id: str, client_id: str) -> M | None:
        return await self._unreleased(
            self.table.c[self.channel] == channel_id,
            self.table.c.sender_id == sender_id,
            self.table.c.client_id == client_id,
        )

    async def release(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(self.table)
                .where(self.table.c.id == message_id, self._waiting)
                .values(released_at=func.now(), content="")
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def withhold(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(self.table)
                .where(self.table.c.id == message_id, self._waiting)
                .values(withheld_at=func.now())
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reject(self, message_id: str, at: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(self.table)
                .where(
                    self.table.c.id == message_id,
                    self.table.c.released_at.is_(None),
                    self.table.c.removed_at.is_(None),
                )
                .values(removed_at=at)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def unreject(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(self.table)
                .where(
                    self.table.c.id == message_id,
                    self.table.c.released_at.is_(None),
                    self.table.c.removed_at.is_not(None),
                )
                .values(removed_at=None)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _many(self, *conditions: Any, newest_first: bool = False, limit: int) -> list[M]:
        order: list[Any] = [self.table.c.created_at, self.table.c.id]
        if newest_first:
            order = [column.desc() for column in order]
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(self.table).where(*conditions).order_by(*order).limit(limit)
                )
            ).all()
        return [self._held(row) for row in rows]

    async def waiting_before(self, before: datetime, limit: int) -> Sequence[M]:
        return await self._many(self._waiting, self.table.c.created_at < before, limit=limit)

    async def waiting_for(self, channel_id: str, sender_id: str, limit: int) -> Sequence[M]:
        return await self._many(
            self.table.c.released_at.is_(None),  # withheld, rejected ones too: theirs only
            self.table.c[self.channel] == channel_id,
            self.table.c.sender_id == sender_id,
            newest_first=True,
            limit=limit,
        )

    async def written_by(self, sender_id: str, at_most: int) -> int:
        some = (
            select(self.table.c.id)
            .where(self.table.c.sender_id == sender_id)
            .limit(at_most)
            .subquery()
        )
        async with translate_errors():
            return int(await self._session.scalar(select(func.count()).select_from(some)) or 0)


class SqlHeldMessages(_SqlHeld[Message]):
    table = HeldMessageRow.__table__  # type: ignore[attr-defined]
    channel = "conversation_id"

    def _held(self, row: Any) -> Message:
        return message_from_row(row, held=True)


class SqlHeldRoomMessages(_SqlHeld[RoomMessage]):
    table = HeldRoomMessageRow.__table__  # type: ignore[attr-defined]
    channel = "room_id"

    def _held(self, row: Any) -> RoomMessage:
        return room_message_from_row(row, held=True)
