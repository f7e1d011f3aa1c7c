"""Ports of the chat module: repositories and readers (SQL), and what it needs from others."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

import msgspec

from hypehere.application.chat.views import (
    ConversationView,
    MessageView,
    RoomMessageView,
    RoomView,
)
from hypehere.domain.chat.model import (
    ChatPolicy,
    Conversation,
    Folder,
    Message,
    Participant,
    Room,
    RoomMember,
    RoomMessage,
    RoomRestriction,
)
from hypehere.domain.shared.events import DomainEvent
from hypehere.domain.shared.pagination import Page, PageRequest


class ChatSettings(msgspec.Struct, frozen=True):
    chat_policy: ChatPolicy = ChatPolicy.EVERYONE
    send_read_receipts: bool = True


class ChatPeers(Protocol):
    """What chat needs to know about users (implemented over the users tables)."""

    async def exists(self, user_id: str) -> bool:
        """An account that can be messaged (active)."""
        ...

    async def blocked_either_way(self, user_a: str, user_b: str) -> bool: ...

    async def follows(self, follower_id: str, followee_id: str) -> bool: ...

    async def chat_settings(self, user_ids: Iterable[str]) -> dict[str, ChatSettings]: ...

    async def joined_at(self, user_id: str) -> datetime | None:
        """When the account was created (None if unknown): the fail-closed moderation tier
        holds a new account's first messages."""
        ...


M = TypeVar("M", Message, RoomMessage)


class HeldMessages(Protocol[M]):
    """A new account's first messages while they wait for a moderation verdict, outside
    their channel (no sequence number, invisible to everyone but their sender): one store
    per channel kind, `HeldMessages[Message]` for direct conversations and
    `HeldMessages[RoomMessage]` for open rooms (`channel_id`: the conversation or room)."""

    async def hold(self, message: M) -> None:
        """Store it held; a second one with the same (channel, sender, client_id) raises
        StorageConflictError."""
        ...

    async def hold_first(self, message: M, first: int) -> bool:
        """`hold` it if its sender has sent fewer than `first` messages of this kind through
        the tier (`written_by`), else store nothing and answer False. Counted and stored
        under a per-sender lock held until the transaction ends (PostgreSQL; SQLite
        transactions are serialized already), so concurrent sends of one account never
        hold more than `first`."""
        ...

    async def get(self, message_id: str) -> M | None:
        """The message while it is held (None once released, withheld or rejected)."""
        ...

    async def unreleased(self, message_id: str) -> M | None:
        """The message while it has not been released: waiting, withheld or rejected (its
        `removed_at` set); None once released (the channel has it) or when unknown."""
        ...

    async def find(self, channel_id: str, sender_id: str, client_id: str) -> M | None:
        """The message a retried client_id refers to while it is not released: waiting,
        withheld or rejected (a retry of a rejected message is answered with its
        placeholder, never sent again as a new one); None once released (the channel has
        it) or when unknown."""
        ...

    async def release(self, message_id: str) -> bool:
        """Mark it released (its text is dropped here: the channel has it now); False
        when it was not held. Atomic: two releases never both return True."""
        ...

    async def withhold(self, message_id: str) -> bool:
        """Keep it for its sender only, for good (a block now stands between them and the
        recipient; a room's sender is out of the room): it stops waiting (no check, no
        release) and stays in `waiting_for`; False when it was not waiting."""
        ...

    async def reject(self, message_id: str, at: datetime) -> bool:
        """Moderation removed it before release: never delivered, it stops waiting (no
        check, no release) and stays in `waiting_for`, `removed_at` = `at` (its sender
        sees the placeholder). A withheld message can be rejected too; False when it was
        released, rejected already, or is unknown. Atomic against `release`."""
        ...

    async def unreject(self, message_id: str) -> bool:
        """Undo `reject` (an appeal was overturned): it waits again (a withheld one stays
        withheld); False when it was not rejected."""
        ...

    async def waiting_before(self, before: datetime, limit: int) -> Sequence[M]:
        """Held messages written before `before`, oldest first (created_at, id); withheld
        and rejected ones are not waiting."""
        ...

    async def waiting_for(self, channel_id: str, sender_id: str, limit: int) -> Sequence[M]:
        """`sender_id`'s messages still held (or withheld, or rejected) in the channel,
        newest first (what their own history shows them), at most `limit`."""
        ...

    async def written_by(self, sender_id: str, at_most: int) -> int:
        """How many messages of `sender_id` went through the tier in this channel kind
        (held or released), counted up to `at_most`."""
        ...


@dataclass(frozen=True, slots=True)
class SenderContext:
    """A conversation as a sender sees it before writing: `blocked` is True when a block
    (either way) stands between `sender_id` and another participant."""

    conversation: Conversation
    sender_id: str
    blocked: bool


class ConversationRepository(Protocol):
    async def get(self, conversation_id: str) -> Conversation | None: ...

    async def get_for_sender(self, conversation_id: str, sender_id: str) -> SenderContext | None:
        """The conversation with its participants and the block check for `sender_id`, in
        one read (the message hot path)."""
        ...

    async def append_message(
        self, message: Message, changed: Sequence[Participant], event: DomainEvent
    ) -> int:
        """Store `message` with the conversation's next sequence number (returned and set
        on `message.seq`; the conversation's last activity becomes this message), save the
        `changed` participants and stage `event` in the outbox, all or nothing. A second
        message with the same (sender, client_id) in the conversation raises
        StorageConflictError and changes nothing.

        It is the unit of work's last write. In an `autocommit()` block (the send path) it
        is the block's only write and commits on its own (PostgreSQL: one autocommitted
        statement, or the process's group commit)."""
        ...

    async def find_by_pair(self, pair_key: str) -> Conversation | None: ...

    async def add(self, conversation: Conversation) -> Conversation:
        """Store a new conversation; if one for the same pair already exists (a concurrent
        create won), return that one instead. Race-safe by the unique pair key."""
        ...

    async def save_participant(self, conversation: Conversation, user_id: str) -> None: ...

    async def next_seq(self, conversation_id: str, message_id: str, at: datetime) -> int:
        """The next message sequence number (serializes concurrent writers); the message
        `message_id` (stored next, in the same transaction) becomes the last activity."""
        ...

    async def add_message(self, message: Message) -> None:
        """Store the message; a second message with the same (sender, client_id) in the
        conversation raises StorageConflictError."""
        ...

    async def find_message(
        self, conversation_id: str, sender_id: str, client_id: str
    ) -> Message | None: ...

    async def latest_message(self, conversation_id: str) -> Message | None: ...

    async def get_message(self, message_id: str) -> Message | None:
        """A direct-conversation message by id (None when there is none)."""
        ...

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        """Moderation removed a delivered message: `removed_at` = `at`, its text kept
        (staff, a restore) but shown to nobody. False when it was removed already or is
        unknown (a conditional update)."""
        ...

    async def restore_message(self, message_id: str) -> bool:
        """Undo `remove_message` (an appeal was overturned); False when it was not removed."""
        ...


class ConversationReader(Protocol):
    async def list_for(
        self, user_id: str, folder: Folder, page: PageRequest
    ) -> Page[ConversationView]:
        """My active conversations in `folder`, by last activity, in ONE query per page."""
        ...

    async def view(self, user_id: str, conversation_id: str) -> ConversationView | None: ...

    async def messages_before(
        self, conversation_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, MessageView]]:
        """Newest first, `limit` + 1 rows at most, with their sequence numbers."""
        ...

    async def messages_after(
        self, conversation_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, MessageView]]:
        """Oldest first."""
        ...

    async def message_seq(self, conversation_id: str, message_id: str) -> int | None: ...


class RoomRepository(Protocol):
    async def add(self, room: Room, creator: RoomMember) -> None: ...

    async def get(self, room_id: str) -> Room | None: ...

    async def release(self, room_id: str) -> bool:
        """A held room passed moderation: everyone sees it now. False when it was not held
        or was removed (idempotent, a conditional update)."""
        ...

    async def reject(self, room_id: str) -> bool:
        """Moderation removed a held room (`Room.reject`): its creator's only for good,
        never released, no longer waiting for a check. False when it was not held or was
        removed already (a conditional update, atomic against `release`)."""
        ...

    async def restore(self, room_id: str) -> bool:
        """Undo `reject` (an appeal was overturned, `Room.restore`): everyone sees it now.
        False when it was not removed."""
        ...

    async def held_before(self, before: datetime, limit: int) -> Sequence[Room]:
        """Held rooms still waiting for a verdict (not removed) created before `before`,
        oldest first (created_at, id), at most `limit`."""
        ...

    async def member(self, room_id: str, user_id: str) -> RoomMember | None: ...

    async def take_seat(self, room: Room) -> int | None:
        """Atomically count one more participant unless the room is full: the new count,
        or None when full. Holds under concurrent joins."""
        ...

    async def add_member(self, member: RoomMember) -> None: ...

    async def save_member(self, member: RoomMember) -> None: ...

    async def remove_member(self, room_id: str, user_id: str) -> int | None:
        """Remove the member and free the seat: the new count, or None if not a member."""
        ...

    async def restriction(self, room_id: str, user_id: str) -> RoomRestriction | None: ...

    async def save_restriction(self, restriction: RoomRestriction) -> None: ...

    async def next_seq(self, room_id: str) -> int: ...

    async def add_message(self, message: RoomMessage) -> None: ...

    async def find_message(
        self, room_id: str, sender_id: str, client_id: str
    ) -> RoomMessage | None: ...

    async def get_message(self, message_id: str) -> RoomMessage | None:
        """A room message by id (None when there is none, or it is still held)."""
        ...

    async def remove_message(self, message_id: str, at: datetime) -> bool:
        """As `ConversationRepository.remove_message`, for a room message."""
        ...

    async def restore_message(self, message_id: str) -> bool:
        """As `ConversationRepository.restore_message`, for a room message."""
        ...


class RoomReader(Protocol):
    async def list_rooms(
        self, language: str | None, page: PageRequest, viewer_id: str | None = None
    ) -> Page[RoomView]:
        """Released rooms, and `viewer_id`'s own held ones (fail-closed moderation)."""
        ...

    async def view(self, room_id: str, viewer_id: str | None = None) -> RoomView | None:
        """None when the room does not exist or is held and `viewer_id` did not create it."""
        ...

    async def messages_before(
        self, room_id: str, before_seq: int | None, limit: int
    ) -> list[tuple[int, RoomMessageView]]: ...

    async def messages_after(
        self, room_id: str, after_seq: int, limit: int
    ) -> list[tuple[int, RoomMessageView]]: ...

    async def message_seq(self, room_id: str, message_id: str) -> int | None: ...


class RoomPasswordHasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...
