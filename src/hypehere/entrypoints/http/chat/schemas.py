"""Request and response bodies of the chat endpoints (conversations and rooms).

A message is sent as `MessageView` / `RoomMessageView` themselves (the shape the sockets
broadcast and ack; see `entrypoints/common/schemas.py`), never a copy; so are a
conversation (`ConversationView`) and a room (`RoomView`), whose views are the API shape."""

from __future__ import annotations

import msgspec

from hypehere.application.chat.views import ConversationView, MessageView, RoomMessageView, RoomView
from hypehere.entrypoints.common.schemas import Id


class StartConversationIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    user_id: Id


class SendMessageIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content: str
    client_id: str | None = None


class CreateRoomIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    language: str
    max_participants: int
    description: str = ""
    password: str | None = None


class JoinRoomIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    password: str | None = None


class KickIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    duration_minutes: int


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
