"""Real-time frames the chat use cases publish (after commit) and the topics they go to.

Every frame serializes with its `type` tag; WebSocket connections forward them verbatim."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.views import MessageView, RoomMessageView


def conversation_topic(conversation_id: str) -> str:
    return f"chat.conversation.{conversation_id}"


def room_topic(room_id: str) -> str:
    return f"chat.room.{room_id}"


class ChatFrame(msgspec.Struct, frozen=True, tag_field="type"):
    pass


class MessageFrame(ChatFrame, frozen=True, tag="message"):
    message: MessageView


class RoomMessageFrame(ChatFrame, frozen=True, tag="message"):
    message: RoomMessageView


class ReadFrame(ChatFrame, frozen=True, tag="read"):
    user_id: str
    last_read_message_id: str | None


class TypingFrame(ChatFrame, frozen=True, tag="typing"):
    user_id: str


class JoinedFrame(ChatFrame, frozen=True, tag="joined"):
    user_id: str
    participant_count: int


class LeftFrame(ChatFrame, frozen=True, tag="left"):
    user_id: str
    participant_count: int


class KickedFrame(ChatFrame, frozen=True, tag="kicked"):
    user_id: str
    by: str
    until: datetime | None


class BannedFrame(ChatFrame, frozen=True, tag="banned"):
    user_id: str
    by: str


class AdminGrantedFrame(ChatFrame, frozen=True, tag="admin_granted"):
    user_id: str
    by: str
