"""Chat events written to the outbox (other modules react: notifications, analytics)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hypehere.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(DomainEvent):
    """`is_request`: the recipient has it in `requests` (no push notification)."""

    topic: ClassVar[str] = "chat.message_sent"
    message_id: str
    conversation_id: str
    sender_id: str
    recipient_ids: tuple[str, ...]
    is_request: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageHeld(DomainEvent):
    """A new account's direct message waits for a moderation verdict (fail-closed tier):
    nobody but its sender knows of it until it is released, which appends it to the
    conversation and announces it with `MessageSent`."""

    topic: ClassVar[str] = "chat.message_held"
    message_id: str
    conversation_id: str
    sender_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomMessageSent(DomainEvent):
    """A message reached an open room's members (the moderation scan classifies it after
    the fact, fail-open)."""

    topic: ClassVar[str] = "chat.room_message_sent"
    message_id: str
    room_id: str
    sender_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomMessageHeld(DomainEvent):
    """A new account's room message waits for a moderation verdict (fail-closed tier, as
    `MessageHeld`): released, it is appended to the room and announced with
    `RoomMessageSent`."""

    topic: ClassVar[str] = "chat.room_message_held"
    message_id: str
    room_id: str
    sender_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomHeld(DomainEvent):
    """A new open room waits for its title to be checked (fail-closed for every account):
    only its creator sees it until moderation releases it."""

    topic: ClassVar[str] = "chat.room_held"
    room_id: str
    created_by: str
    language: str
