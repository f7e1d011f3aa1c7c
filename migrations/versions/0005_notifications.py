"""notifications

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 03:05:41.222438
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("channels", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("updated_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("target_parent_id", sa.String(length=36), nullable=True),
        sa.Column("actor_1_id", sa.String(length=36), nullable=True),
        sa.Column("actor_2_id", sa.String(length=36), nullable=True),
        sa.Column("actor_3_id", sa.String(length=36), nullable=True),
        sa.Column("actor_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("group_key", sa.String(length=80), nullable=True),
        sa.Column("dedup_key", sa.String(length=80), nullable=False),
        sa.Column("read_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "recipient_id", "dedup_key", name=op.f("uq_notifications_recipient_id_dedup_key")
        ),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_recipient_id_group_key", ["recipient_id", "group_key"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_recipient_id_read_at", ["recipient_id", "read_at"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_recipient_id_updated_at_id",
            ["recipient_id", "updated_at", "id"],
            unique=False,
        )

    op.create_table(
        "notification_group_actors",
        sa.Column("notification_id", sa.String(length=36), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=False),
        sa.Column("added_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_group_actors_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "notification_id", "actor_id", name=op.f("pk_notification_group_actors")
        ),
    )


def downgrade() -> None:
    op.drop_table("notification_group_actors")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_id_updated_at_id")
        batch_op.drop_index("ix_notifications_recipient_id_read_at")
        batch_op.drop_index("ix_notifications_recipient_id_group_key")

    op.drop_table("notifications")
    op.drop_table("notification_settings")
