"""Request and response bodies of the chat endpoints (conversations and rooms).

A message is sent as `MessageView` / `RoomMessageView` themselves (the shape the sockets
broadcast and ack; see `entrypoints/common/schemas.py`), never a copy."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.views import (
    ConversationView,
    MessageView,
    RoomMessageView,
    RoomView,
    UserSummary,
)
from hypehere.entrypoints.common.schemas import Id


class StartConversationIn(msgspec.Struct, frozen=True):
    user_id: Id


class SendMessageIn(msgspec.Struct, frozen=True):
    content: str
    client_id: str | None = None


class CreateRoomIn(msgspec.Struct, frozen=True):
    name: str
    language: str
    max_participants: int
    description: str = ""
    password: str | None = None


class JoinRoomIn(msgspec.Struct, frozen=True):
    password: str | None = None


class KickIn(msgspec.Struct, frozen=True):
    duration_minutes: int


class UserSummaryOut(msgspec.Struct, frozen=True):
    id: str
    handle: str
    nickname: str
    avatar_url: str | None

    @classmethod
    def of(cls, user: UserSummary) -> UserSummaryOut:
        return cls(
            id=user.id, handle=user.handle, nickname=user.nickname, avatar_url=user.avatar_url
        )


class ConversationOut(msgspec.Struct, frozen=True):
    id: str
    kind: str
    folder: str
    other_user: UserSummaryOut | None
    last_message: MessageView | None
    unread_count: int
    updated_at: datetime

    @classmethod
    def of(cls, view: ConversationView) -> ConversationOut:
        return cls(
            id=view.id,
            kind=view.kind,
            folder=view.folder,
            other_user=UserSummaryOut.of(view.other_user) if view.other_user else None,
            last_message=view.last_message,
            unread_count=view.unread_count,
            updated_at=view.updated_at,
        )


class ConversationListOut(msgspec.Struct, frozen=True):
    items: list[ConversationOut]
    next_cursor: str | None


class MessageListOut(msgspec.Struct, frozen=True):
    items: list[MessageView]
    next_cursor: str | None


class RoomOut(msgspec.Struct, frozen=True):
    id: str
    name: str
    description: str
    language: str
    has_password: bool
    max_participants: int
    participant_count: int
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, view: RoomView) -> RoomOut:
        return cls(
            id=view.id,
            name=view.name,
            description=view.description,
            language=view.language,
            has_password=view.has_password,
            max_participants=view.max_participants,
            participant_count=view.participant_count,
            created_by=view.created_by,
            created_at=view.created_at,
        )


class RoomListOut(msgspec.Struct, frozen=True):
    items: list[RoomOut]
    next_cursor: str | None


class RoomMessageListOut(msgspec.Struct, frozen=True):
    items: list[RoomMessageView]
    next_cursor: str | None
