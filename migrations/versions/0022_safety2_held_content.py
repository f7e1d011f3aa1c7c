"""moderation: `comments.moderation_state` and `rooms.moderation_state` (visible | held),
the fail-closed tier for a new account's first comments and every new room's title

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 05:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
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


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("moderation_state")
