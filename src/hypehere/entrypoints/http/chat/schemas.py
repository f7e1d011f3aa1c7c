"""Request and response bodies of the chat endpoints (conversations and rooms).

A message is sent as `MessageView` / `RoomMessageView` themselves (the shape the sockets
broadcast and ack; see `entrypoints/common/schemas.py`), never a copy; so are a
conversation (`ConversationView`) and a room (`RoomView`), whose views are the API shape."""

from __future__ import annotations

from typing import Annotated

import msgspec

from hypehere.application.chat.views import ConversationView, MessageView, RoomMessageView, RoomView
from hypehere.domain.chat.model import (
    MAX_CLIENT_ID_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_ROOM_SEATS,
    MIN_ROOM_SEATS,
)
from hypehere.entrypoints.common.schemas import Id


class StartConversationIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    user_id: Id


class SendMessageIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content: Annotated[str, msgspec.Meta(pattern=r"\S", max_length=MAX_MESSAGE_LENGTH)]
    client_id: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CLIENT_ID_LENGTH)] | None
    ) = None


class CreateRoomIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(pattern=r"\S")]
    language: str
    max_participants: Annotated[int, msgspec.Meta(ge=MIN_ROOM_SEATS, le=MAX_ROOM_SEATS)]
    description: str = ""
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)] | None = None


class JoinRoomIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    password: str | None = None


class KickIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]


class ConversationListOut(msgspec.Struct, frozen=True):
    items: list[ConversationView]
    next_cursor: str | None


class MessageListOut(msgspec.Struct, frozen=True):
    items: list[MessageView]
    next_cursor: str | None


class RoomListOut(msgspec.Struct, frozen=True):
    items: list[RoomView]
    next_cursor: str | None


class RoomMessageListOut(msgspec.Struct, frozen=True):
    items: list[RoomMessageView]
    next_cursor: str | None
