"""users: token revocation and session lifetime

`users.tokens_valid_after`: access tokens issued before it are refused (password change,
ban, suspension, deactivation, deletion end every session at once).
`refresh_tokens.session_started_at`: when the token's family (session) began, so a session
has an absolute lifetime however often it rotates; existing rows get their family's first
token's creation time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 01:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hypehere.adapters.sql.types import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("tokens_valid_after", UtcDateTime(), nullable=True))
    with op.batch_alter_table("refresh_tokens") as batch:
        batch.add_column(sa.Column("session_started_at", UtcDateTime(), nullable=True))
    op.execute(
        "UPDATE refresh_tokens SET session_started_at = ("
        "SELECT MIN(family.created_at) FROM refresh_tokens AS family "
        "WHERE family.family_id = refresh_tokens.family_id)"
    )
    with op.batch_alter_table("refresh_tokens") as batch:
        batch.alter_column("session_started_at", existing_type=UtcDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("refresh_tokens") as batch:
        batch.drop_column("session_started_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("tokens_valid_after")
