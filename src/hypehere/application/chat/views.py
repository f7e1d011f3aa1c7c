"""View objects read straight from SQL for screens and frames (no aggregates loaded)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.views import UserCard
from hypehere.domain.chat.model import Message, RoomMessage


class MessageView(msgspec.Struct, frozen=True, omit_defaults=True):
    id: str
    conversation_id: str
    sender_id: str
    content: str
    client_id: str | None
    created_at: datetime
    # "held" only for its sender (ack, own history) while it waits for a moderation verdict
    # (a new account's first messages); omitted otherwise, so broadcasts are unchanged
    moderation: str = "visible"
    # removed by moderation: `content` is "" (clients show their own notice); omitted
    # while false, as `moderation`
    removed: bool = False

    @classmethod
    def of(cls, message: Message) -> MessageView:
        return cls(
            id=message.id,
            conversation_id=message.conversation_id,
            sender_id=message.sender_id,
            content="" if message.is_removed else message.content,
            client_id=message.client_id,
            created_at=message.created_at,
            moderation="held" if message.held else "visible",
            removed=message.is_removed,
        )


class ConversationView(msgspec.Struct, frozen=True):
    id: str
    kind: str
    folder: str
    other_user: UserCard | None
    last_message: MessageView | None
    unread_count: int
    updated_at: datetime


class RoomView(msgspec.Struct, frozen=True):
    id: str
    name: str
    description: str
    language: str
    has_password: bool
    max_participants: int
    participant_count: int
    created_by: str
    created_at: datetime
    # held: waiting for its title to be checked, seen (listed, joinable) by its creator only;
    # removed: staff removed it while held, its creator's only for good
    moderation: str = "visible"


class RoomMessageView(msgspec.Struct, frozen=True, omit_defaults=True):
    """A room message; `conversation_id` repeats `room_id` so clients can treat room and
    1:1 message frames alike."""

    id: str
    room_id: str
    conversation_id: str
    sender_id: str
    content: str
    client_id: str | None
    created_at: datetime
    # "held" only for its sender (ack, own history) while it waits for a moderation
    # verdict, as in `MessageView`; omitted otherwise
    moderation: str = "visible"
    removed: bool = False  # removed by moderation (`content` ""), as in `MessageView`

    @classmethod
    def of(cls, message: RoomMessage) -> RoomMessageView:
        return cls(
            id=message.id,
            room_id=message.room_id,
            conversation_id=message.room_id,
            sender_id=message.sender_id,
            content="" if message.is_removed else message.content,
            client_id=message.client_id,
            created_at=message.created_at,
            moderation="held" if message.held else "visible",
            removed=message.is_removed,
        )
