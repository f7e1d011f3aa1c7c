"""Matching tables: anonymous conversations and their two participants. Private to
`adapters/sql/matching/`. No message is ever stored here (messages are only relayed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


class AnonymousConversationRow(SQLModel, table=True):
    __tablename__ = "anonymous_conversations"
    __table_args__ = (Index("ix_anonymous_conversations_open_started", "ended_at", "started_at"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    mode: str = Field(sa_column=Column(String(8), nullable=False))
    started_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    revealed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class AnonymousParticipantRow(SQLModel, table=True):
    """`target_languages`: JSON `[{"language", "level"}]`, the languages matched on."""

    __tablename__ = "anonymous_members"
    __table_args__ = (Index("ix_anonymous_members_user_id", "user_id"),)

    conversation_id: str = Field(
        sa_column=Column(
            String(36),
            ForeignKey("anonymous_conversations.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))
    native_language: str = Field(sa_column=Column(String(8), nullable=False))
    target_languages: str = Field(sa_column=Column(Text, nullable=False))
    left_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    reveal_accepted: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    replied: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))


anonymous_conversations_t = AnonymousConversationRow.__table__  # type: ignore[attr-defined]
anonymous_members_t = AnonymousParticipantRow.__table__  # type: ignore[attr-defined]
