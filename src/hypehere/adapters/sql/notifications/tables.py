"""Notifications, the members of grouped notifications, and per-user settings.

Only the notifications module writes these tables. A notification keeps its latest
actors in three columns (most recent first) so a page of notifications renders with one
query (three left joins to `users`); `notification_group_actors` remembers every actor of a
group so `actor_count` counts each person once, however often they act or an event is
redelivered. `notification_counters` keeps each user's unread count, changed in the same
transaction as the notifications (every push carries it: counting the unread rows instead
cost a read of all of them per push, and chatty users have hundreds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient_id", "dedup_key"),
        Index("ix_notifications_recipient_id_updated_at_id", "recipient_id", "updated_at", "id"),
        Index("ix_notifications_recipient_id_group_key", "recipient_id", "group_key"),
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    recipient_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    target_id: str = Field(sa_column=Column(String(36), nullable=False))
    target_parent_id: str | None = Field(default=None, sa_column=Column(String(36)))
    actor_1_id: str | None = Field(default=None, sa_column=Column(String(36)))
    actor_2_id: str | None = Field(default=None, sa_column=Column(String(36)))
    actor_3_id: str | None = Field(default=None, sa_column=Column(String(36)))
    actor_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    group_key: str | None = Field(default=None, sa_column=Column(String(80)))
    dedup_key: str = Field(sa_column=Column(String(80), nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class NotificationGroupActorRow(SQLModel, table=True):
    __tablename__ = "notification_group_actors"

    notification_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
        )
    )
    actor_id: str = Field(sa_column=Column(String(36), primary_key=True))
    added_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class NotificationSettingsRow(SQLModel, table=True):
    __tablename__ = "notification_settings"

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    channels: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class NotificationCounterRow(SQLModel, table=True):
    __tablename__ = "notification_counters"

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    unread: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
