"""matching: anonymous conversations and their two participants (no messages: anonymous
chat is only relayed)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anonymous_conversations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("started_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("ended_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("revealed_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_conversations")),
    )
    with op.batch_alter_table("anonymous_conversations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_anonymous_conversations_open_started", ["ended_at", "started_at"], unique=False
        )
    op.create_table(
        "anonymous_members",
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("native_language", sa.String(length=8), nullable=False),
        sa.Column("target_languages", sa.Text(), nullable=False),
        sa.Column("left_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("reveal_accepted", sa.Boolean(), nullable=False),
        sa.Column("replied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["anonymous_conversations.id"],
            name=op.f("fk_anonymous_members_conversation_id_anonymous_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_anonymous_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", "user_id", name=op.f("pk_anonymous_members")),
    )
    with op.batch_alter_table("anonymous_members", schema=None) as batch_op:
        batch_op.create_index("ix_anonymous_members_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("anonymous_members")
    op.drop_table("anonymous_conversations")
