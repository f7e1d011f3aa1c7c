"""The learning module's tables: the curriculum (categories -> lessons -> expressions,
texts per language in JSON documents) and each learner's progress per lesson.

Content ids are derived from the stable keys (`domain.learning.model.content_id`), so the
data migration upserts by key and every deployment serves a lesson under the same id."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime


class LearningCategoryRow(SQLModel, table=True):
    __tablename__ = "learning_categories"
    __table_args__ = (Index("ix_learning_categories_position_id", "position", "id"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    title: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    description: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))


class LearningLessonRow(SQLModel, table=True):
    __tablename__ = "learning_lessons"
    __table_args__ = (
        Index("ix_learning_lessons_category_id_position_id", "category_id", "position", "id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    category_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("learning_categories.id", ondelete="CASCADE"), nullable=False
        )
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))
    level: str = Field(sa_column=Column(String(2), nullable=False))
    title: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    description: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    # The languages every expression is written in (a lesson is served only in those).
    languages: list[str] = Field(sa_column=Column(JsonDocument, nullable=False))
    expression_count: int = Field(sa_column=Column(Integer, nullable=False))


class LearningExpressionRow(SQLModel, table=True):
    __tablename__ = "learning_expressions"
    __table_args__ = (Index("ix_learning_expressions_lesson_id_position", "lesson_id", "position"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    key: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    lesson_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("learning_lessons.id", ondelete="CASCADE"), nullable=False
        )
    )
    position: int = Field(sa_column=Column(Integer, nullable=False))
    text: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    romanization: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    note: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    # {language: [{word, reading, part_of_speech, meaning: {language: text}}]}
    vocabulary: dict[str, Any] = Field(sa_column=Column(JsonDocument, nullable=False))


class LearningProgressRow(SQLModel, table=True):
    __tablename__ = "learning_progress"

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    lesson_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("learning_lessons.id", ondelete="CASCADE"), primary_key=True
        )
    )
    score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    seconds_spent: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    started_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class LearningActivityDayRow(SQLModel, table=True):
    """A streak day: a local calendar day (in the user's time zone at the time) with at
    least one completed lesson or review."""

    __tablename__ = "learning_activity_days"

    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    day: date = Field(sa_column=Column(Date, primary_key=True))


class LearningReviewCardRow(SQLModel, table=True):
    """A review card and its FSRS memory state (one per user, source and source id)."""

    __tablename__ = "learning_review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "source", "source_id"),
        Index("ix_learning_review_cards_user_id_due_at_id", "user_id", "due_at", "id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    source: str = Field(sa_column=Column(String(16), nullable=False))
    source_id: str = Field(sa_column=Column(String(36), nullable=False))
    front: str = Field(sa_column=Column(Text, nullable=False))
    back: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(sa_column=Column(String(8), nullable=False))
    state: str = Field(sa_column=Column(String(16), nullable=False))
    due_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    step: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    stability: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    difficulty: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    last_review_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    reps: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    lapses: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class LearningCorrectionRow(SQLModel, table=True):
    """A correction of someone's post, comment or message (one per corrector and text)."""

    __tablename__ = "learning_corrections"
    __table_args__ = (
        UniqueConstraint("corrector_id", "target_type", "target_id"),
        Index(
            "ix_learning_corrections_target_type_target_id_created_at",
            "target_type",
            "target_id",
            "created_at",
        ),
        Index("ix_learning_corrections_author_id_created_at", "author_id", "created_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    corrector_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    author_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    target_type: str = Field(sa_column=Column(String(16), nullable=False))
    target_id: str = Field(sa_column=Column(String(36), nullable=False))
    language: str = Field(sa_column=Column(String(8), nullable=False))
    original_text: str = Field(sa_column=Column(Text, nullable=False))
    corrected_text: str = Field(sa_column=Column(Text, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    category: str = Field(sa_column=Column(String(16), nullable=False))
    # [{start, end, original, replacement}]
    spans: list[Any] = Field(sa_column=Column(JsonDocument, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    accepted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


categories_t: Table = LearningCategoryRow.__table__  # type: ignore[attr-defined]
lessons_t: Table = LearningLessonRow.__table__  # type: ignore[attr-defined]
expressions_t: Table = LearningExpressionRow.__table__  # type: ignore[attr-defined]
progress_t: Table = LearningProgressRow.__table__  # type: ignore[attr-defined]
activity_days_t: Table = LearningActivityDayRow.__table__  # type: ignore[attr-defined]
review_cards_t: Table = LearningReviewCardRow.__table__  # type: ignore[attr-defined]
corrections_t: Table = LearningCorrectionRow.__table__  # type: ignore[attr-defined]
