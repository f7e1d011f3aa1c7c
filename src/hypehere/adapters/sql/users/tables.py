"""Users, their languages, the social graph and refresh tokens.

Private to `adapters/sql/users/`: other modules read these tables only through
`adapters/sql/users/queries.py`, and only the users module writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


class UserRow(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_native_language", "native_language"),
        Index("ix_users_state", "state"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    email: str = Field(sa_column=Column(String(320), nullable=False, unique=True))
    handle: str = Field(sa_column=Column(String(30), nullable=False, unique=True))
    nickname: str = Field(sa_column=Column(String(30), nullable=False))
    bio: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    avatar_url: str | None = Field(default=None, sa_column=Column(String(2048), nullable=True))
    native_language: str = Field(sa_column=Column(String(2), nullable=False))
    interface_language: str = Field(sa_column=Column(String(2), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    role: str = Field(default="user", sa_column=Column(String(16), nullable=False))
    state: str = Field(default="active", sa_column=Column(String(24), nullable=False))
    state_changed_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    suspended_until: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    suspension_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    show_followers_list: str = Field(
        default="everyone", sa_column=Column(String(16), nullable=False)
    )
    show_following_list: str = Field(
        default="everyone", sa_column=Column(String(16), nullable=False)
    )
    chat_policy: str = Field(default="everyone", sa_column=Column(String(16), nullable=False))
    send_read_receipts: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    # Corrections of others' texts whose authors accepted them (learning's events).
    corrections_accepted: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    # IANA name: the user's calendar (learning streaks count local days).
    timezone: str = Field(
        default="UTC", sa_column=Column(String(64), nullable=False, server_default="UTC")
    )
    # FSRS: the recall probability review intervals aim for (0.70..0.97).
    desired_retention: float = Field(
        default=0.9, sa_column=Column(Float, nullable=False, server_default="0.9")
    )
    follower_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    following_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    post_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    report_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    last_active_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    # access tokens issued before this are refused (password change, ban, deletion, ...)
    tokens_valid_after: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )


class UserLanguageRow(SQLModel, table=True):
    """A target language the user learns, with a CEFR level."""

    __tablename__ = "user_target_languages"
    __table_args__ = (Index("ix_user_target_languages_language", "language"),)

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    language: str = Field(sa_column=Column(String(2), primary_key=True))
    level: str = Field(sa_column=Column(String(2), nullable=False))
    position: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


class FollowRow(SQLModel, table=True):
    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_followee_id_created_at", "followee_id", "created_at"),)

    follower_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    followee_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class BlockRow(SQLModel, table=True):
    __tablename__ = "blocks"
    __table_args__ = (Index("ix_blocks_blocked_id", "blocked_id"),)

    blocker_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    blocked_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class RefreshTokenRow(SQLModel, table=True):
    """Opaque refresh tokens, stored as SHA-256 hashes; a family shares one login."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        Index("ix_refresh_tokens_user_id", "user_id"),
        Index("ix_refresh_tokens_family_id", "family_id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    family_id: str = Field(sa_column=Column(String(36), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    # when the family (session) began: its absolute lifetime counts from here
    session_started_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class UserReportMarkRow(SQLModel, table=True):
    """One resolved report against a user: `report_count` is their number, the active count
    those of the last 30 days. Removed when the report is dismissed afterwards."""

    __tablename__ = "user_report_marks"
    __table_args__ = (Index("ix_user_report_marks_user_id_counted_at", "user_id", "counted_at"),)

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    report_id: str = Field(sa_column=Column(String(36), primary_key=True))
    counted_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


users_t: Table = UserRow.__table__  # type: ignore[attr-defined]
langs_t: Table = UserLanguageRow.__table__  # type: ignore[attr-defined]
follows_t: Table = FollowRow.__table__  # type: ignore[attr-defined]
blocks_t: Table = BlockRow.__table__  # type: ignore[attr-defined]
tokens_t: Table = RefreshTokenRow.__table__  # type: ignore[attr-defined]
marks_t: Table = UserReportMarkRow.__table__  # type: ignore[attr-defined]
