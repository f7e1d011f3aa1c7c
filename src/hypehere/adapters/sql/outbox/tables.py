"""Outbox and the per-handler idempotency ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, String, Text, text
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401  (naming convention first)
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime


class OutboxEventRow(SQLModel, table=True):
    __tablename__ = "outbox_events"
    # Only the events still due, in claim order: delivered ones leave it (migration 0010).
    __table_args__ = (
        Index(
            "ix_outbox_events_due",
            "available_at",
            "id",
            postgresql_where=text("delivered_at IS NULL AND dead_at IS NULL"),
            sqlite_where=text("delivered_at IS NULL AND dead_at IS NULL"),
        ),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    topic: str = Field(sa_column=Column(String(100), nullable=False))
    payload: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    occurred_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    available_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    delivered_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Dead letter: the dispatcher gave up after its maximum number of attempts.
    dead_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class HandledEventRow(SQLModel, table=True):
    __tablename__ = "handled_events"

    handler: str = Field(sa_column=Column(String(100), primary_key=True))
    event_id: str = Field(sa_column=Column(String(36), primary_key=True))
    handled_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
