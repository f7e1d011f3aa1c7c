"""moderation: `comments.moderation_state` and `rooms.moderation_state` (visible | held),
and `held_messages`: the fail-closed tier for a new account's first comments and direct
messages and every new room's title

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 05:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("comments", "rooms")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "moderation_state",
                    sa.String(length=8),
                    nullable=False,
                    server_default="visible",
                )
            )
    op.create_table(
        "held_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("sender_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("released_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_held_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_held_messages_sender_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_messages")),
        sa.UniqueConstraint(
            "conversation_id", "sender_id", "client_id", name="uq_held_messages_client_id"
        ),
    )
    with op.batch_alter_table("held_messages") as batch:
        batch.create_index("ix_held_messages_sender_id", ["sender_id"], unique=False)
        batch.create_index(
            "ix_held_messages_released_at_created_at",
            ["released_at", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    op.drop_table("held_messages")
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("moderation_state")
