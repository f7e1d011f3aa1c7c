"""Reports and the staff audit log. `open_key` is set (reporter:type:target) while a
report is open and NULL once decided, so a unique constraint on it allows one open report
per reporter and target in PostgreSQL and SQLite alike (NULLs never collide). `priority` is
the queue score (`domain/moderation/rules.py`), stored so the queue pages by an index. The
audit log is only ever inserted into (the repository has no update or delete). Strikes
carry their appeal inline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Float, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


class ReportRow(SQLModel, table=True):
    """`evidence`: an anonymous_conversation report's transcript when filed (JSON)."""

    __tablename__ = "moderation_reports"
    __table_args__ = (
        UniqueConstraint("open_key"),
        Index("ix_moderation_reports_status_priority", "status", "priority", "created_at", "id"),
        Index("ix_moderation_reports_status_decided_at", "status", "decided_at", "id"),
        Index("ix_moderation_reports_target", "target_type", "target_id", "status"),
        Index("ix_moderation_reports_reporter_id_status", "reporter_id", "status"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    reporter_id: str = Field(sa_column=Column(String(36), nullable=False))
    target_type: str = Field(sa_column=Column(String(32), nullable=False))
    target_id: str = Field(sa_column=Column(String(36), nullable=False))
    reported_user_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    reason: str = Field(sa_column=Column(String(16), nullable=False))
    details: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    priority: int = Field(sa_column=Column(BigInteger, nullable=False))
    open_key: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    assignee_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    decided_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    action: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    excerpt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class AuditEntryRow(SQLModel, table=True):
    __tablename__ = "moderation_audit_log"
    __table_args__ = (
        Index("ix_moderation_audit_log_created_at_id", "created_at", "id"),
        Index("ix_moderation_audit_log_actor_id_created_at", "actor_id", "created_at", "id"),
        Index("ix_moderation_audit_log_target_id_created_at", "target_id", "created_at", "id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    actor_id: str = Field(sa_column=Column(String(36), nullable=False))
    action: str = Field(sa_column=Column(String(32), nullable=False))
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    target_id: str = Field(sa_column=Column(String(36), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    detail: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class StrikeRow(SQLModel, table=True):
    """A strike and its (at most one) appeal, inline: `appeal_id` is set once appealed."""

    __tablename__ = "moderation_strikes"
    __table_args__ = (
        UniqueConstraint("appeal_id"),
        Index("ix_moderation_strikes_user_id_created_at", "user_id", "created_at", "id"),
        Index(
            "ix_moderation_strikes_appeal_status_created_at",
            "appeal_status",
            "appeal_created_at",
            "appeal_id",
        ),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(sa_column=Column(String(36), nullable=False))
    action: str = Field(sa_column=Column(String(24), nullable=False))
    reason: str = Field(sa_column=Column(String(32), nullable=False))
    excerpt: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    issued_by: str = Field(sa_column=Column(String(36), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    content_type: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    content_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    report_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    appeal_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    appeal_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    appeal_status: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    appeal_created_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    appeal_decided_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    appeal_decided_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime, nullable=True)
    )
    appeal_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ScannedItemRow(SQLModel, table=True):
    """One scanned post or comment: the verdict with its provenance and the staff label."""

    __tablename__ = "moderation_scanned_items"
    __table_args__ = (
        UniqueConstraint("content_type", "content_id"),
        Index("ix_moderation_scanned_items_status_created_at", "status", "created_at", "id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    content_type: str = Field(sa_column=Column(String(16), nullable=False))
    content_id: str = Field(sa_column=Column(String(36), nullable=False))
    author_id: str = Field(sa_column=Column(String(36), nullable=False))
    excerpt: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(String(16), nullable=False))
    confidence: float = Field(sa_column=Column(Float, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    model: str = Field(sa_column=Column(String(64), nullable=False))
    prompt_version: str = Field(sa_column=Column(String(32), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    decided_by: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class SpecRow(SQLModel, table=True):
    __tablename__ = "moderation_specs"
    __table_args__ = (Index("ix_moderation_specs_updated_at_id", "updated_at", "id"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    title: str = Field(sa_column=Column(String(200), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(sa_column=Column(String(40), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    created_by: str = Field(sa_column=Column(String(36), nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_by: str = Field(sa_column=Column(String(36), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
