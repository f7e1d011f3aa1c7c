"""feed: the author index carries the columns the timeline probes filter on (issue 19)

`ix_posts_author_id_created_at_id` gets `INCLUDE (moderation_state, removed_at)` on
PostgreSQL. Since the fail-closed tier (0021) every probe of it filters on
`moderation_state`, which made the following timeline's 50 per-author probes read the
heap for every entry (1,517 buffers a page on `bench timeline`'s small dataset instead of
472, and twice the PostgreSQL CPU); with the columns in the index they are index-only
again, and so is the ranked feed's followed-authors source (`removed_at IS NULL`).
SQLite has no INCLUDE and reads the row either way: unchanged there.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ix_posts_author_id_created_at_id"
_KEY = ["author_id", sa.text("created_at DESC"), sa.text("id DESC")]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="posts")
    op.create_index(_NAME, "posts", _KEY, postgresql_include=["moderation_state", "removed_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(_NAME, table_name="posts")
    op.create_index(_NAME, "posts", _KEY)
