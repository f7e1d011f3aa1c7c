"""Real-time frames the chat use cases publish (after commit) to the topics of
`application.common.topics` (`chat.conversation.{id}`, `chat.room.{id}`).

Every frame serializes with its `type` tag; WebSocket connections forward them verbatim.
These are server -> client frames (`...Frame`); what clients send is parsed by the socket
handlers into `...Request` frames (`entrypoints/ws/`)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.chat.views import MessageView, RoomMessageView


class ChatFrame(msgspec.Struct, frozen=True, tag_field="type"):
    pass


class MessageFrame(ChatFrame, frozen=True, tag="message"):
    message: MessageView


class RoomMessageFrame(ChatFrame, frozen=True, tag="message"):
    message: RoomMessageView


class MessageRemovedFrame(ChatFrame, frozen=True, tag="message_removed"):
    """Moderation removed a delivered message: clients replace it with `message` (its
    placeholder: `removed: true`, `content` "")."""

    message: MessageView


class RoomMessageRemovedFrame(ChatFrame, frozen=True, tag="message_removed"):
    message: RoomMessageView


class ReadReceiptFrame(ChatFrame, frozen=True, tag="read"):
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
