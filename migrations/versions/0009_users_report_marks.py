"""users: report marks (resolved reports per user, for report_count / active_report_count)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 04:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_report_marks",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("counted_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_report_marks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "report_id", name=op.f("pk_user_report_marks")),
    )
    with op.batch_alter_table("user_report_marks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_user_report_marks_user_id_counted_at", ["user_id", "counted_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("user_report_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_user_report_marks_user_id_counted_at")
    op.drop_table("user_report_marks")
