"""`SqlRoomRepository`: open rooms, their members, restrictions and messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.chat.tables import (
    RoomMemberRow,
    RoomMessageRow,
    RoomRestrictionRow,
    RoomRow,
)
from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.holding import held_visible_to
from hypehere.domain.chat.model import (
    RestrictionKind,
    Room,
    RoomMember,
    RoomMessage,
    RoomRestriction,
    RoomRole,
)
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.holding import ModerationState

rooms = RoomRow.__table__  # type: ignore[attr-defined]
room_members = RoomMemberRow.__table__  # type: ignore[attr-defined]
room_restrictions = RoomRestrictionRow.__table__  # type: ignore[attr-defined]
room_messages = RoomMessageRow.__table__  # type: ignore[attr-defined]


def room_message_from_row(row: Any, *, held: bool = False) -> RoomMessage:
    """A `room_messages` row, or a `held_room_messages` one (`held`: no sequence number)."""
    return RoomMessage(
        id=row.id,
        room_id=row.room_id,
        sender_id=row.sender_id,
        content=row.content,
        client_id=row.client_id,
        seq=0 if held else row.seq,
        created_at=ensure_utc(row.created_at),
        held=held,
        removed_at=ensure_utc(row.removed_at) if row.removed_at else None,
    )


def room_visible_to(viewer_id: str | None) -> ColumnElement[bool]:
    """The fail-closed rule for rooms: a held room is seen by its creator only."""
    return held_visible_to(viewer_id, rooms.c.moderation_state, rooms.c.created_by)


def _room_to_domain(row: Any) -> Room:
    return Room(
        id=row.id,
        name=row.name,
        description=row.description,
        language=row.language,
        password_hash=row.password_hash,
        max_participants=row.max_participants,
        created_by=row.created_by,
        created_at=ensure_utc(row.created_at),
        held=row.moderation_state != ModerationState.VISIBLE.value,
        removed=row.moderation_state == ModerationState.REMOVED.value,
    )


class SqlRoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, room: Room, creator: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(rooms).values(
                    id=room.id,
                    name=room.name,
                    description=room.description,
                    language=room.language,
                    password_hash=room.password_hash,
                    max_participants=room.max_participants,
                    participant_count=1,
                    last_seq=0,
                    created_by=room.created_by,
                    created_at=room.created_at,
                    moderation_state=(
                        ModerationState.HELD if room.held else ModerationState.VISIBLE
                    ).value,
                )
            )
            await self._session.execute(
                insert(room_members).values(
                    room_id=room.id,
                    user_id=creator.user_id,
                    role=creator.role.value,
                    joined_at=creator.joined_at,
                )
            )

    async def get(self, room_id: str) -> Room | None:
        async with translate_errors():
            row = (await self._session.execute(select(rooms).where(rooms.c.id == room_id))).first()
        return None if row is None else _room_to_domain(row)

    async def release(self, room_id: str) -> bool:
        return await self._move(room_id, ModerationState.HELD, ModerationState.VISIBLE)

    async def reject(self, room_id: str) -> bool:
        return await self._move(room_id, ModerationState.HELD, ModerationState.REMOVED)

    async def restore(self, room_id: str) -> bool:
        return await self._move(room_id, ModerationState.REMOVED, ModerationState.VISIBLE)

    async def _move(self, room_id: str, from_: ModerationState, to: ModerationState) -> bool:
        """One conditional update: concurrent verdicts never both apply."""
        async with translate_errors():
            result = await self._session.execute(
                update(rooms)
                .where(rooms.c.id == room_id, rooms.c.moderation_state == from_.value)
                .values(moderation_state=to.value)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def held_before(self, before: datetime, limit: int) -> Sequence[Room]:
        async with translate_errors():
            rows = (
                await self._session.execute(
                    select(rooms)
                    .where(
                        rooms.c.moderation_state == ModerationState.HELD.value,
                        rooms.c.created_at < before,
                    )
                    .order_by(rooms.c.created_at, rooms.c.id)
                    .limit(limit)
                )
            ).all()
        return [_room_to_domain(row) for row in rows]

    async def member(self, room_id: str, user_id: str) -> RoomMember | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_members).where(
                        room_members.c.room_id == room_id, room_members.c.user_id == user_id
                    )
                )
            ).first()
        if row is None:
            return None
        return RoomMember(row.room_id, row.user_id, RoomRole(row.role), ensure_utc(row.joined_at))

    async def take_seat(self, room: Room) -> int | None:
        async with translate_errors():
            count = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room.id, rooms.c.participant_count < rooms.c.max_participants)
                .values(participant_count=rooms.c.participant_count + 1)
                .returning(rooms.c.participant_count)
            )
        return int(count) if count is not None else None

    async def add_member(self, member: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(room_members).values(
                    room_id=member.room_id,
                    user_id=member.user_id,
                    role=member.role.value,
                    joined_at=member.joined_at,
                )
            )

    async def save_member(self, member: RoomMember) -> None:
        async with translate_errors():
            await self._session.execute(
                update(room_members)
                .where(
                    room_members.c.room_id == member.room_id,
                    room_members.c.user_id == member.user_id,
                )
                .values(role=member.role.value)
            )

    async def remove_member(self, room_id: str, user_id: str) -> int | None:
        async with translate_errors():
            removed = await self._session.execute(
                delete(room_members).where(
                    room_members.c.room_id == room_id, room_members.c.user_id == user_id
                )
            )
            if not removed.rowcount:  # type: ignore[attr-defined]
                return None
            count = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(participant_count=rooms.c.participant_count - 1)
                .returning(rooms.c.participant_count)
            )
        return int(count or 0)

    async def restriction(self, room_id: str, user_id: str) -> RoomRestriction | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_restrictions).where(
                        room_restrictions.c.room_id == room_id,
                        room_restrictions.c.user_id == user_id,
                    )
                )
            ).first()
        if row is None:
            return None
        return RoomRestriction(
            room_id=row.room_id,
            user_id=row.user_id,
            kind=RestrictionKind(row.kind),
            until=ensure_utc(row.until) if row.until else None,
            created_by=row.created_by,
            created_at=ensure_utc(row.created_at),
        )

    async def save_restriction(self, restriction: RoomRestriction) -> None:
        values = {
            "kind": restriction.kind.value,
            "until": restriction.until,
            "created_by": restriction.created_by,
            "created_at": restriction.created_at,
        }
        async with translate_errors():
            updated = await self._session.execute(
                update(room_restrictions)
                .where(
                    room_restrictions.c.room_id == restriction.room_id,
                    room_restrictions.c.user_id == restriction.user_id,
                )
                .values(**values)
            )
            if not updated.rowcount:  # type: ignore[attr-defined]
                await self._session.execute(
                    insert(room_restrictions).values(
                        room_id=restriction.room_id, user_id=restriction.user_id, **values
                    )
                )

    async def next_seq(self, room_id: str) -> int:
        async with translate_errors():
            seq = await self._session.scalar(
                update(rooms)
                .where(rooms.c.id == room_id)
                .values(last_seq=rooms.c.last_seq + 1)
                .returning(rooms.c.last_seq)
            )
        assert seq is not None
        return int(seq)

    async def add_message(self, message: RoomMessage) -> None:
        async with translate_errors():
            await self._session.execute(
                insert(room_messages).values(
                    id=message.id,
                    room_id=message.room_id,
                    sender_id=message.sender_id,
                    content=message.content,
                    client_id=message.client_id,
                    seq=message.seq,
                    created_at=message.created_at,
                )
            )

    async def find_message(
        self, room_id: str, sender_id: str, client_id: str
    ) -> RoomMessage | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_messages).where(
                        room_messages.c.room_id == room_id,
                        room_messages.c.sender_id == sender_id,
                        room_messages.c.client_id == client_id,
                    )
                )
            ).first()
        return room_message_from_row(row) if row else None

    async def get_message(self, message_id: str) -> RoomMessage | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(room_messages).where(room_messages.c.id == message_id)
                )
            ).first()
        return room_message_from_row(row) if row else None

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(room_messages)
                .where(room_messages.c.id == message_id, room_messages.c.removed_at.is_(None))
                .values(removed_at=at)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def restore_message(self, message_id: str) -> bool:
        async with translate_errors():
            result = await self._session.execute(
                update(room_messages)
                .where(room_messages.c.id == message_id, room_messages.c.removed_at.is_not(None))
                .values(removed_at=None)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]
