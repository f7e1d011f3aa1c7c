"""moderation: `removed_at` on `messages` and `room_messages` (a delivered message removed
by moderation: a placeholder for everyone, its text kept for staff and a restore), and on
`held_messages` and `held_room_messages` (a held message rejected by moderation: never
delivered, its sender's own history shows the placeholder)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("messages", "room_messages", "held_messages", "held_room_messages")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("removed_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True)
            )


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("removed_at")
