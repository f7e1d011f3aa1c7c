"""analytics: the activity log (`analytics_events`), per-language-pair, trending-post,
cohort and insight tables, and the new daily columns

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = (
    "dau",
    "wau",
    "mau",
    "anonymous_chats",
    "lessons_completed",
    "reviews",
    "corrections",
    "reports_opened",
    "reports_resolved",
)


def upgrade() -> None:
    with op.batch_alter_table("analytics_daily") as batch:
        for name in _COUNTS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("resolution_p50_seconds", sa.Float(), nullable=True))
    op.create_table(
        "analytics_matching_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language_pair", sa.String(length=16), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("wait_p50_seconds", sa.Float(), nullable=True),
        sa.Column("wait_p90_seconds", sa.Float(), nullable=True),
        sa.Column("chats_ended", sa.Integer(), nullable=False),
        sa.Column("duration_p50_seconds", sa.Float(), nullable=True),
        sa.Column("duration_p90_seconds", sa.Float(), nullable=True),
        sa.Column("reveals", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "language_pair", name=op.f("pk_analytics_matching_daily")),
    )
    op.create_table(
        "analytics_learning_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("language_pair", sa.String(length=16), nullable=False),
        sa.Column("lessons_completed", sa.Integer(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "language_pair", name=op.f("pk_analytics_learning_daily")),
    )
    op.create_table(
        "analytics_trending_posts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=36), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "rank", name=op.f("pk_analytics_trending_posts")),
    )
    op.create_table(
        "analytics_cohorts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("day1", sa.Integer(), nullable=True),
        sa.Column("day7", sa.Integer(), nullable=True),
        sa.Column("day30", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_cohorts")),
    )
    op.create_table(
        "analytics_insights",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=True),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_insights")),
    )
    op.create_table(
        "analytics_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("language_pair", sa.String(length=16), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("seconds_other", sa.Float(), nullable=True),
        sa.Column("flag", sa.Boolean(), nullable=True),
        sa.Column("detail", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_events")),
    )
    op.create_index(
        "ix_analytics_events_kind_occurred_at", "analytics_events", ["kind", "occurred_at"]
    )
    op.create_index(
        "ix_analytics_events_occurred_at_user_id", "analytics_events", ["occurred_at", "user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_events_occurred_at_user_id", table_name="analytics_events")
    op.drop_index("ix_analytics_events_kind_occurred_at", table_name="analytics_events")
    op.drop_table("analytics_events")
    op.drop_table("analytics_insights")
    op.drop_table("analytics_cohorts")
    op.drop_table("analytics_trending_posts")
    op.drop_table("analytics_learning_daily")
    op.drop_table("analytics_matching_daily")
    with op.batch_alter_table("analytics_daily") as batch:
        batch.drop_column("resolution_p50_seconds")
        for name in reversed(_COUNTS):
            batch.drop_column(name)
