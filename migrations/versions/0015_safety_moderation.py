"""moderation: reports (one open report per reporter and target, queue priority) and the
staff audit log (append-only), strikes with their appeals, scanned items (verdicts),
staff specification notes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "moderation_reports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reporter_id", sa.String(length=36), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("reported_user_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.BigInteger(), nullable=False),
        sa.Column("open_key", sa.String(length=120), nullable=True),
        sa.Column("assignee_id", sa.String(length=36), nullable=True),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_reports")),
        sa.UniqueConstraint("open_key", name=op.f("uq_moderation_reports_open_key")),
    )
    with op.batch_alter_table("moderation_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_reports_status_priority",
            ["status", "priority", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_moderation_reports_status_decided_at", ["status", "decided_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_reports_target", ["target_type", "target_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_reports_reporter_id_status", ["reporter_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_reports_reported_user_id"),
            ["reported_user_id"],
            unique=False,
        )

    op.create_table(
        "moderation_audit_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit_log")),
    )
    with op.batch_alter_table("moderation_audit_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_audit_log_created_at_id", ["created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_audit_log_actor_id_created_at",
            ["actor_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_moderation_audit_log_target_id_created_at",
            ["target_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "moderation_strikes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("issued_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=True),
        sa.Column("content_id", sa.String(length=36), nullable=True),
        sa.Column("report_id", sa.String(length=36), nullable=True),
        sa.Column("appeal_id", sa.String(length=36), nullable=True),
        sa.Column("appeal_text", sa.Text(), nullable=True),
        sa.Column("appeal_status", sa.String(length=16), nullable=True),
        sa.Column("appeal_created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("appeal_decided_by", sa.String(length=36), nullable=True),
        sa.Column("appeal_decided_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("appeal_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_strikes")),
        sa.UniqueConstraint("appeal_id", name=op.f("uq_moderation_strikes_appeal_id")),
    )
    with op.batch_alter_table("moderation_strikes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_strikes_user_id_created_at",
            ["user_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_moderation_strikes_appeal_status_created_at",
            ["appeal_status", "appeal_created_at", "appeal_id"],
            unique=False,
        )

    op.create_table(
        "moderation_scanned_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("content_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("prompt_version", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_scanned_items")),
        sa.UniqueConstraint(
            "content_type",
            "content_id",
            name=op.f("uq_moderation_scanned_items_content_type_content_id"),
        ),
    )
    with op.batch_alter_table("moderation_scanned_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_scanned_items_status_created_at",
            ["status", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "moderation_specs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("updated_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_specs")),
    )
    with op.batch_alter_table("moderation_specs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_specs_updated_at_id", ["updated_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("moderation_specs", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_specs_updated_at_id")
    op.drop_table("moderation_specs")
    with op.batch_alter_table("moderation_scanned_items", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_scanned_items_status_created_at")
    op.drop_table("moderation_scanned_items")
    with op.batch_alter_table("moderation_strikes", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_strikes_appeal_status_created_at")
        batch_op.drop_index("ix_moderation_strikes_user_id_created_at")
    op.drop_table("moderation_strikes")
    with op.batch_alter_table("moderation_audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_audit_log_target_id_created_at")
        batch_op.drop_index("ix_moderation_audit_log_actor_id_created_at")
        batch_op.drop_index("ix_moderation_audit_log_created_at_id")
    op.drop_table("moderation_audit_log")
    with op.batch_alter_table("moderation_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_reports_reported_user_id"))
        batch_op.drop_index("ix_moderation_reports_reporter_id_status")
        batch_op.drop_index("ix_moderation_reports_target")
        batch_op.drop_index("ix_moderation_reports_status_decided_at")
        batch_op.drop_index("ix_moderation_reports_status_priority")
    op.drop_table("moderation_reports")
