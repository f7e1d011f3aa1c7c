"""Request bodies of `/learning` and the one response that is not an application view as it
is (the progress result, flattened); the other routes send their views as they are."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from hypehere.application.learning.record_progress import RecordProgressResult


class ProgressIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One study session. `target_language` (optional) is the language I studied the lesson
    in (default: my first target language); my review cards are made in it."""

    completed: bool
    score: int
    seconds_spent: int
    target_language: Annotated[str, msgspec.Meta(max_length=8)] | None = None


class LessonProgressOut(msgspec.Struct, frozen=True):
    lesson_id: str
    status: str
    score: int | None
    seconds_spent: int
    started_at: datetime | None
    completed_at: datetime | None
    cards_created: int

    @classmethod
    def of(cls, r: RecordProgressResult) -> LessonProgressOut:
        p = r.progress
        return cls(
            lesson_id=r.lesson_id,
            status=p.status,
            score=p.score,
            seconds_spent=p.seconds_spent,
            started_at=p.started_at,
            completed_at=p.completed_at,
            cards_created=r.cards_created,
        )


class ReviewIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    card_id: Annotated[str, msgspec.Meta(max_length=64)]
    grade: Literal["again", "hard", "good", "easy"]
