"""moderation: `held_room_messages`, the fail-closed tier for a new account's first
open-room messages (held outside `room_messages` like `held_messages` for direct ones), and
`withheld_at` on both: a held message never delivered because a block came first

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "held_room_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("room_id", sa.String(length=36), nullable=False),
        sa.Column("sender_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("released_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("withheld_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_held_room_messages_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_held_room_messages_sender_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_room_messages")),
        sa.UniqueConstraint(
            "room_id", "sender_id", "client_id", name="uq_held_room_messages_client_id"
        ),
    )
    with op.batch_alter_table("held_room_messages") as batch:
        batch.create_index("ix_held_room_messages_sender_id", ["sender_id"], unique=False)
        batch.create_index(
            "ix_held_room_messages_released_at_created_at",
            ["released_at", "created_at"],
            unique=False,
        )
    with op.batch_alter_table("held_messages") as batch:
        batch.add_column(
            sa.Column("withheld_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("held_messages") as batch:
        batch.drop_column("withheld_at")
    op.drop_table("held_room_messages")
