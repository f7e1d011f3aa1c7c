"""learning: the curriculum (categories, lessons, expressions), progress, streak days,
review cards, corrections, and the data

Creates the learning module's tables and loads the starter curriculum from the data files
(`hypehere/data/curriculum/*.yaml`, however many there are), upserting by key, so every
fresh deployment (SQLite or PostgreSQL) has it and running the load again changes nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hypehere.adapters.sql.types
from hypehere.adapters.sql.learning.curriculum import load_curriculum_into
from hypehere.adapters.yaml.curriculum import load_curriculum

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_categories",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("description", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_categories")),
        sa.UniqueConstraint("key", name=op.f("uq_learning_categories_key")),
    )
    with op.batch_alter_table("learning_categories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_categories_position_id", ["position", "id"], unique=False
        )

    op.create_table(
        "learning_lessons",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("category_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=2), nullable=False),
        sa.Column("title", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("description", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("languages", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("expression_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["learning_categories.id"],
            name=op.f("fk_learning_lessons_category_id_learning_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_lessons")),
        sa.UniqueConstraint("key", name=op.f("uq_learning_lessons_key")),
    )
    with op.batch_alter_table("learning_lessons", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_lessons_category_id_position_id",
            ["category_id", "position", "id"],
            unique=False,
        )

    op.create_table(
        "learning_expressions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("lesson_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("romanization", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("note", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("vocabulary", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["learning_lessons.id"],
            name=op.f("fk_learning_expressions_lesson_id_learning_lessons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_expressions")),
        sa.UniqueConstraint("key", name=op.f("uq_learning_expressions_key")),
    )
    with op.batch_alter_table("learning_expressions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_expressions_lesson_id_position", ["lesson_id", "position"], unique=False
        )

    op.create_table(
        "learning_progress",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("lesson_id", sa.String(length=36), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("seconds_spent", sa.Integer(), server_default="0", nullable=False),
        sa.Column("started_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("completed_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["learning_lessons.id"],
            name=op.f("fk_learning_progress_lesson_id_learning_lessons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learning_progress_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "lesson_id", name=op.f("pk_learning_progress")),
    )
    op.create_table(
        "learning_activity_days",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learning_activity_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_learning_activity_days")),
    )
    op.create_table(
        "learning_review_cards",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("front", sa.Text(), nullable=False),
        sa.Column("back", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("last_review_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.Column("reps", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lapses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_learning_review_cards_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_review_cards")),
        sa.UniqueConstraint(
            "user_id",
            "source",
            "source_id",
            name=op.f("uq_learning_review_cards_user_id_source_source_id"),
        ),
    )
    with op.batch_alter_table("learning_review_cards", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_review_cards_user_id_due_at_id", ["user_id", "due_at", "id"], unique=False
        )
    op.create_table(
        "learning_corrections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("corrector_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("original_text", sa.Text(), nullable=False),
        sa.Column("corrected_text", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("spans", hypehere.adapters.sql.types.JsonDocument(), nullable=False),
        sa.Column("created_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=False),
        sa.Column("accepted_at", hypehere.adapters.sql.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_learning_corrections_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["corrector_id"],
            ["users.id"],
            name=op.f("fk_learning_corrections_corrector_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_corrections")),
        sa.UniqueConstraint(
            "corrector_id",
            "target_type",
            "target_id",
            name=op.f("uq_learning_corrections_corrector_id_target_type_target_id"),
        ),
    )
    with op.batch_alter_table("learning_corrections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_learning_corrections_author_id_created_at",
            ["author_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_learning_corrections_target_type_target_id_created_at",
            ["target_type", "target_id", "created_at"],
            unique=False,
        )
    # The data: every file of hypehere/data/curriculum, upserted by key.
    load_curriculum_into(op.get_bind(), load_curriculum())


def downgrade() -> None:
    with op.batch_alter_table("learning_corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_corrections_target_type_target_id_created_at")
        batch_op.drop_index("ix_learning_corrections_author_id_created_at")
    op.drop_table("learning_corrections")
    with op.batch_alter_table("learning_review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_review_cards_user_id_due_at_id")
    op.drop_table("learning_review_cards")
    op.drop_table("learning_activity_days")
    op.drop_table("learning_progress")
    with op.batch_alter_table("learning_expressions", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_expressions_lesson_id_position")

    op.drop_table("learning_expressions")
    with op.batch_alter_table("learning_lessons", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_lessons_category_id_position_id")

    op.drop_table("learning_lessons")
    with op.batch_alter_table("learning_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_learning_categories_position_id")

    op.drop_table("learning_categories")
