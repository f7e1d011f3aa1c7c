"""analytics: one row of daily aggregates per UTC day (`analytics_daily`)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 03:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("active_users", sa.Integer(), nullable=False),
        sa.Column("new_users", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("computed_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_daily")),
    )


def downgrade() -> None:
    op.drop_table("analytics_daily")
