"""users: the default role is stored as API.md names it, `user` (was `member`)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 05:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE users SET role = 'user' WHERE role = 'member'")


def downgrade() -> None:
    op.execute("UPDATE users SET role = 'member' WHERE role = 'user'")
