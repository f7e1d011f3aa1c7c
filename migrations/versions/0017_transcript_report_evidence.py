"""moderation: anonymous_conversation reports (target_type up to 32 characters) and their
evidence (the transcript attached when filed, JSON)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 03:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("moderation_reports", schema=None) as batch_op:
        batch_op.alter_column(
            "target_type",
            existing_type=sa.String(length=16),
            type_=sa.String(length=32),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM moderation_reports WHERE target_type = 'anonymous_conversation'")
    with op.batch_alter_table("moderation_reports", schema=None) as batch_op:
        batch_op.drop_column("evidence")
        batch_op.alter_column(
            "target_type",
            existing_type=sa.String(length=32),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
