"""The learning module's published read-only queries: what other modules' SQL may compose
(search indexes lessons and renders lesson hits). See `users/queries.py` for what a read
handle is."""

from __future__ import annotations

from sqlalchemy import Table

from hypehere.adapters.sql.learning.tables import (
    LearningExpressionRow,
    LearningLessonRow,
)
from hypehere.adapters.sql.read_handle import read_handle

public_lessons: Table = read_handle(
    LearningLessonRow.__table__,  # type: ignore[attr-defined]
    (
        "id",
        "key",
        "category_id",
        "position",
        "level",
        "title",
        "description",
        "languages",
        "expression_count",
    ),
)
"""`learning_lessons`: id, key, category_id, position, level, title, description (JSON
{language: text}), languages (JSON list), expression_count."""
public_expressions: Table = read_handle(
    LearningExpressionRow.__table__,  # type: ignore[attr-defined]
    ("id", "lesson_id", "position", "text", "romanization"),
)
"""`learning_expressions`: id, lesson_id, position, text and romanization (JSON
{language: text})."""
