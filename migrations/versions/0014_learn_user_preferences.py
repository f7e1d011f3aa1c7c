"""users: timezone (IANA name) and desired_retention, the learner's calendar and review goal;
corrections_accepted, the corrector's count on their public profile

Both are account settings served and changed by `/users/me`, so they live on `users` (the
users module owns and validates them); learning reads them through the users module's
published queries. Existing accounts get the defaults: UTC and 0.9. `corrections_accepted`
is a denormalized counter the users module moves on `learning.correction_accepted` (like
`post_count` on the feed's events); it starts at 0 (no correction exists before 0012).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False)
        )
        batch_op.add_column(
            sa.Column("desired_retention", sa.Float(), server_default="0.9", nullable=False)
        )
        batch_op.add_column(
            sa.Column("corrections_accepted", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("corrections_accepted")
        batch_op.drop_column("desired_retention")
        batch_op.drop_column("timezone")
