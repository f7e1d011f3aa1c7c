"""feed: timeline indexes in page order (issue 19)

`ix_posts_author_id_created_at` (author_id, created_at) becomes
`ix_posts_author_id_created_at_id` (author_id, created_at DESC, id DESC): the following
timeline probes it once per followed author and `/users/{id}/posts` is one range scan of
it. `ix_post_hashtags_tag_created_at_post_id` becomes (tag, created_at DESC, post_id DESC),
the order of a tag's page.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 04:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_author_id_created_at")
        batch_op.create_index(
            "ix_posts_author_id_created_at_id",
            ["author_id", sa.text("created_at DESC"), sa.text("id DESC")],
            unique=False,
        )
    with op.batch_alter_table("post_hashtags", schema=None) as batch_op:
        batch_op.drop_index("ix_post_hashtags_tag_created_at_post_id")
        batch_op.create_index(
            "ix_post_hashtags_tag_created_at_post_id",
            ["tag", sa.text("created_at DESC"), sa.text("post_id DESC")],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("post_hashtags", schema=None) as batch_op:
        batch_op.drop_index("ix_post_hashtags_tag_created_at_post_id")
        batch_op.create_index(
            "ix_post_hashtags_tag_created_at_post_id",
            ["tag", "created_at", "post_id"],
            unique=False,
        )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_author_id_created_at_id")
        batch_op.create_index(
            "ix_posts_author_id_created_at", ["author_id", "created_at"], unique=False
        )
