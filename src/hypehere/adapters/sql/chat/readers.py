"""Readers of the chat module: conversation lists and message pages, room lists and room
message pages, each in ONE query (view objects straight from SQL)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hypehere.adapters.sql.chat.rooms import room_visible_to
from hypehere.adapters.sql.chat.statements import conversations, messages, participants
from hypehere.adapters.sql.chat.tables import RoomMessageRow, RoomRow
from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.users.queries import public_users
from hypehere.application.chat.views import ConversationView, MessageView, RoomMessageView, RoomView
from hypehere.application.common.views import UserCard
from hypehere.domain.chat.model import Folder
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    page_from_rows,
)

rooms = RoomRow.__table__  # type: ignore[attr-defined]
room_messages = RoomMessageRow.__table__  # type: ignore[attr-defined]


def _time_cursor(request: PageRequest) -> tuple[datetime, str] | None:
    if request.cursor is None:
        return None
    stamp, row_id = request.cursor
    try:
        return datetime.fromisoformat(str(stamp)), str(row_id)
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc


def _message_view(row: Any) -> MessageView:
    removed = row.removed_at is not None  # by moderation: a placeholder, for everyone
    return MessageView(
        id=row.id,
        conversation_id=row.conversation_id,
        sender_id=row.sender_id,
        content="" if removed else row.content,
        client_id=row.client_id,
        created_at=ensure_utc(row.created_at),
        removed=removed,
    )


class SqlConversationReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _select(self, user_id: str) -> Any:
        me = aliased(participants, name="me")
        other = aliased(participants, name="other")
        other_user = public_users.alias("other_user")
        last = aliased(messages, name="last_message")
        unread_messages = aliased(messages, name="unread_message")
        unread = (
            select(func.count())
            .select_from(unread_messages)
            .where(
                unread_messages.c.conversation_id == conversations.c.id,
                unread_messages.c.sender_id != user_id,
                unread_messages.c.seq > me.c.last_read_seq,
                or_(me.c.left_at.is_(None), unread_messages.c.created_at > me.c.left_at),
            )
            .scalar_subquery()
        )
        query = (
            select(
                conversations.c.id,
                conversations.c.kind,
                conversations.c.updated_at,
                me.c.folder,
                other_user.c.id.label("other_id"),
                other_user.c.handle.label("other_handle"),
                other_user.c.nickname.label("other_nickname"),
                other_user.c.avatar_url.label("other_avatar_url"),
                last.c.id.label("last_id"),
                last.c.sender_id.label("last_sender_id"),
                last.c.content.label("last_content"),
                last.c.client_id.label("last_client_id"),
                last.c.created_at.label("last_created_at"),
                last.c.removed_at.label("last_removed_at"),
                unread.label("unread_count"),
            )
            .select_from(me)
            .join(conversations, conversations.c.id == me.c.conversation_id)
            .outerjoin(
                other,
                and_(other.c.conversation_id == conversations.c.id, other.c.user_id != user_id),
            )
            .outerjoin(other_user, other_user.c.id == other.c.user_id)
            .outerjoin(last, last.c.id == conversations.c.last_message_id)
            .where(me.c.user_id == user_id)
        )
        return query, me

    @staticmethod
    def _view(row: Any) -> ConversationView:
        other = None
        if row.other_id is not None:
            other = UserCard(
                id=row.other_id,
                handle=row.other_handle,
                nickname=row.other_nickname,
                avatar_url=row.other_avatar_url,
            )
        last = None
        if row.last_id is not None:
            removed = row.last_removed_at is not None
            last = MessageView(
                id=row.last_id,
                conversation_id=row.id,
                sender_id=row.last_sender_id,
                content="" if removed else row.last_content,
                client_id=row.last_client_id,
                created_at=ensure_utc(row.last_created_at),
                removed=removed,
            )
        return ConversationView(
            id=row.id,
            kind=row.kind,
            folder=row.folder,
            other_user=other,
            last_message=last,
            unread_count=int(row.unread_count or 0),
            updated_at=ensure_utc(row.updated_at),
        )

    async def list_for(
        self, user_id: str, folder: Folder, page: PageRequest
    ) -> Page[ConversationView]:
        query, me = self._select(user_id)
        query = query.where(me.c.is_active.is_(True), me.c.folder == folder.value)
        after = _time_cursor(page)
        if after is not None:
            stamp, row_id = after
            query = query.where(
                or_(
                    conversations.c.updated_at < stamp,
                    and_(conversations.c.updated_at == stamp, conversations.c.id < row_id),
                )
            )
        query = query.order_by(conversations.c.updated_at.desc(), conversations.c.id.desc()).limit(
            page.limit + 1
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        views = [self._view(row) for row in rows]
        return page_from_rows(views, page.limit, lambda v: (v.updated_at.isoformat(), v.id))

    async def view(self, user_id: str, conversation_id: str) -> ConversationView | None:
        query, _ = self._select(user_id)
        query = query.where(conversations.c.id == conversation_id)
        async with translate_errors():
            row = (await self._session.execute(query)).first()
        return self._view(row) if row else None

    async def messages_before(
        self, conversation_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, MessageView]]:
        query = select(messages).where(messages.c.conversation_id == conversation_id)
        if before_seq is not None:
            query = query.where(messages.c.seq < before_seq)
        query = query.order_by(messages.c.seq.desc()).limit(limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _message_view(row)) for row in rows]

    async def messages_after(
        self, conversation_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, MessageView]]:
        query = (
            select(messages)
            .where(messages.c.conversation_id == conversation_id, messages.c.seq > after_seq)
            .order_by(messages.c.seq.asc())
            .limit(limit + 1)
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _message_view(row)) for row in rows]

    async def message_seq(self, conversation_id: str, message_id: str) -> int | None:
        async with translate_errors():
            seq = await self._session.scalar(
                select(messages.c.seq).where(
                    messages.c.conversation_id == conversation_id, messages.c.id == message_id
                )
            )
        return int(seq) if seq is not None else None


def _room_view(row: Any) -> RoomView:
    return RoomView(
        id=row.id,
        name=row.name,
        description=row.description,
        language=row.language,
        has_password=row.password_hash is not None,
        max_participants=row.max_participants,
        participant_count=row.participant_count,
        created_by=row.created_by,
        created_at=ensure_utc(row.created_at),
        moderation=row.moderation_state,
    )


def _room_message_view(row: Any) -> RoomMessageView:
    removed = row.removed_at is not None
    return RoomMessageView(
        id=row.id,
        room_id=row.room_id,
        conversation_id=row.room_id,
        sender_id=row.sender_id,
        content="" if removed else row.content,
        client_id=row.client_id,
        created_at=ensure_utc(row.created_at),
        removed=removed,
    )


class SqlRoomReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_rooms(
        self, language: str | None, page: PageRequest, viewer_id: str | None = None
    ) -> Page[RoomView]:
        query = select(rooms).where(room_visible_to(viewer_id))
        if language is not None:
            query = query.where(rooms.c.language == language)
        after = _time_cursor(page)
        if after is not None:
            stamp, row_id = after
            query = query.where(
                or_(
                    rooms.c.created_at < stamp,
                    and_(rooms.c.created_at == stamp, rooms.c.id < row_id),
                )
            )
        query = query.order_by(rooms.c.created_at.desc(), rooms.c.id.desc()).limit(page.limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        views = [_room_view(row) for row in rows]
        return page_from_rows(views, page.limit, lambda v: (v.created_at.isoformat(), v.id))

    async def view(self, room_id: str, viewer_id: str | None = None) -> RoomView | None:
        async with translate_errors():
            row = (
                await self._session.execute(
                    select(rooms).where(rooms.c.id == room_id, room_visible_to(viewer_id))
                )
            ).first()
        return _room_view(row) if row else None

    async def messages_before(
        self, room_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        query = select(room_messages).where(room_messages.c.room_id == room_id)
        if before_seq is not None:
            query = query.where(room_messages.c.seq < before_seq)
        query = query.order_by(room_messages.c.seq.desc()).limit(limit + 1)
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _room_message_view(row)) for row in rows]

    async def messages_after(
        self, room_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, RoomMessageView]]:
        query = (
            select(room_messages)
            .where(room_messages.c.room_id == room_id, room_messages.c.seq > after_seq)
            .order_by(room_messages.c.seq.asc())
            .limit(limit + 1)
        )
        async with translate_errors():
            rows = (await self._session.execute(query)).all()
        return [(row.seq, _room_message_view(row)) for row in rows]

    async def message_seq(self, room_id: str, message_id: str) -> int | None:
        async with translate_errors():
            seq = await self._session.scalar(
                select(room_messages.c.seq).where(
                    room_messages.c.room_id == room_id, room_messages.c.id == message_id
                )
            )
        return int(seq) if seq is not None else None
