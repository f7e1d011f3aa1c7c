"""Chat tables: 1:1 conversations, participants, messages; open rooms, members,
restrictions (kicks and bans) and room messages. Private to `adapters/sql/chat/`: only the
chat module reads and writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


def _user_fk(nullable: bool = False, primary_key: bool = False) -> Column[str]:
    return Column(
        String(36),
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=nullable,
        primary_key=primary_key,
    )


class ConversationRow(SQLModel, table=True):
    """`pair_key` (sorted user ids) is unique: get-or-create cannot make two. `last_seq` is
    the per-conversation message counter (row-locked while a message is added)."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("pair_key", name="uq_conversations_pair_key"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    kind: str = Field(default="direct", sa_column=Column(String(16), nullable=False))
    pair_key: str = Field(sa_column=Column(String(80), nullable=False))
    created_by: str = Field(sa_column=_user_fk())
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    last_seq: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    last_message_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))


class ConversationParticipantRow(SQLModel, table=True):
    __tablename__ = "conversation_participants"
    __table_args__ = (
        Index("ix_conversation_participants_user_id_folder", "user_id", "is_active", "folder"),
    )

    conversation_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
        )
    )
    user_id: str = Field(sa_column=_user_fk(primary_key=True))
    folder: str = Field(default="inbox", sa_column=Column(String(16), nullable=False))
    is_active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    joined_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    left_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    last_read_message_id: str | None = Field(
        default=None, sa_column=Column(String(36), nullable=True)
    )
    last_read_seq: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )


class MessageRow(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_id_seq"),
        UniqueConstraint("conversation_id", "sender_id", "client_id", name="uq_messages_client_id"),
        Index("ix_messages_created_at", "created_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    conversation_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
        )
    )
    sender_id: str = Field(sa_column=_user_fk())
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    seq: int = Field(sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # removed by moderation: shown to nobody (a placeholder); the text is kept for staff
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class HeldMessageRow(SQLModel, table=True):
    """A new account's first direct messages, held by the fail-closed moderation tier
    until a verdict: outside `messages` (no sequence number, never in the recipient's
    history, unread count or last activity). Released, it is appended to the conversation
    as a new message and its row is kept, emptied (`released_at` set): the rows count the
    account's first messages."""

    __tablename__ = "held_messages"
    __table_args__ = (
        UniqueConstraint(
            "conversation_id", "sender_id", "client_id", name="uq_held_messages_client_id"
        ),
        Index("ix_held_messages_sender_id", "sender_id"),
        Index("ix_held_messages_released_at_created_at", "released_at", "created_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    conversation_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
        )
    )
    sender_id: str = Field(sa_column=_user_fk())
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    released_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    # set when a block stood between sender and recipient at release: never delivered,
    # kept (with its text) for its sender's own history only
    withheld_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    # set when moderation removed it before release (rejected): never delivered, kept
    # for its sender's own history only, as a placeholder
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class RoomRow(SQLModel, table=True):
    """`participant_count` is changed only by conditional UPDATEs (never overfull)."""

    __tablename__ = "rooms"
    __table_args__ = (Index("ix_rooms_language_created_at", "language", "created_at"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    name: str = Field(sa_column=Column(String(80), nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    language: str = Field(sa_column=Column(String(2), nullable=False))
    password_hash: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    max_participants: int = Field(sa_column=Column(Integer, nullable=False))
    participant_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    last_seq: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_by: str = Field(sa_column=_user_fk())
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # visible | held (until its title is checked: its creator only); the rule is
    # `rooms.room_visible_to`
    moderation_state: str = Field(
        default="visible",
        sa_column=Column(String(8), nullable=False, server_default="visible"),
    )


class RoomMemberRow(SQLModel, table=True):
    __tablename__ = "room_members"
    __table_args__ = (Index("ix_room_members_user_id", "user_id"),)

    room_id: str = Field(
        sa_column=Column(String(36), ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=_user_fk(primary_key=True))
    role: str = Field(default="member", sa_column=Column(String(16), nullable=False))
    joined_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class RoomRestrictionRow(SQLModel, table=True):
    """A kick (`until` set) or a ban (`until` null); the latest one per user counts."""

    __tablename__ = "room_restrictions"

    room_id: str = Field(
        sa_column=Column(String(36), ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=_user_fk(primary_key=True))
    kind: str = Field(sa_column=Column(String(8), nullable=False))
    until: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    created_by: str = Field(sa_column=Column(String(36), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class RoomMessageRow(SQLModel, table=True):
    __tablename__ = "room_messages"
    __table_args__ = (
        UniqueConstraint("room_id", "seq", name="uq_room_messages_room_id_seq"),
        UniqueConstraint("room_id", "sender_id", "client_id", name="uq_room_messages_client_id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    room_id: str = Field(
        sa_column=Column(String(36), ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False)
    )
    sender_id: str = Field(sa_column=_user_fk())
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    seq: int = Field(sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # removed by moderation: shown to nobody (a placeholder); the text is kept for staff
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class HeldRoomMessageRow(SQLModel, table=True):
    """A new account's first open-room messages, held like direct ones (`held_messages`):
    outside `room_messages` until a verdict, appended to the room when released; the row
    is kept, emptied, to count the account's first room messages."""

    __tablename__ = "held_room_messages"
    __table_args__ = (
        UniqueConstraint(
            "room_id", "sender_id", "client_id", name="uq_held_room_messages_client_id"
        ),
        Index("ix_held_room_messages_sender_id", "sender_id"),
        Index("ix_held_room_messages_released_at_created_at", "released_at", "created_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    room_id: str = Field(
        sa_column=Column(String(36), ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False)
    )
    sender_id: str = Field(sa_column=_user_fk())
    content: str = Field(sa_column=Column(Text, nullable=False))
    client_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    released_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    # set when its sender was out of the room at release (left, kicked or banned while
    # it was held): never delivered, kept (with its text) for its sender's history only
    withheld_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    # set when moderation removed it before release (rejected): never delivered, kept
    # for its sender's own history only, as a placeholder
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
