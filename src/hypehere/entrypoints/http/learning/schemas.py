"""Response bodies of `/learning` (the application's views, field for field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from hypehere.application.learning.get_lesson import ExpressionView, LessonView
from hypehere.application.learning.get_stats import StatsResult
from hypehere.application.learning.list_categories import CategoryView
from hypehere.application.learning.list_due_reviews import CardView
from hypehere.application.learning.list_lessons import LessonSummaryView
from hypehere.application.learning.views import ProgressView


class ProgressOut(msgspec.Struct, frozen=True):
    """`status`: not_started | started | completed; `score` is the best score (0..100)."""

    status: str
    score: int | None
    seconds_spent: int
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def of(cls, v: ProgressView) -> ProgressOut:
        return cls(
            status=v.status,
            score=v.score,
            seconds_spent=v.seconds_spent,
            started_at=v.started_at,
            completed_at=v.completed_at,
        )


class CategoryOut(msgspec.Struct, frozen=True):
    id: str
    key: str
    position: int
    title: str
    description: str
    lesson_count: int
    lessons_completed: int

    @classmethod
    def of(cls, v: CategoryView) -> CategoryOut:
        return cls(
            id=v.id,
            key=v.key,
            position=v.position,
            title=v.title,
            description=v.description,
            lesson_count=v.lesson_count,
            lessons_completed=v.lessons_completed,
        )


class CategoryPageOut(msgspec.Struct, frozen=True):
    items: list[CategoryOut]
    next_cursor: str | None


class LessonSummaryOut(msgspec.Struct, frozen=True):
    id: str
    key: str
    category_id: str
    position: int
    level: str
    title: str
    description: str
    languages: list[str]
    expression_count: int
    progress: ProgressOut

    @classmethod
    def of(cls, v: LessonSummaryView) -> LessonSummaryOut:
        return cls(
            id=v.id,
            key=v.key,
            category_id=v.category_id,
            position=v.position,
            level=v.level,
            title=v.title,
            description=v.description,
            languages=v.languages,
            expression_count=v.expression_count,
            progress=ProgressOut.of(v.progress),
        )


class LessonPageOut(msgspec.Struct, frozen=True):
    items: list[LessonSummaryOut]
    next_cursor: str | None


class VocabularyOut(msgspec.Struct, frozen=True):
    word: str
    reading: str | None
    part_of_speech: str
    meaning: str


class ExpressionOut(msgspec.Struct, frozen=True):
    id: str
    key: str
    position: int
    text: str
    romanization: str | None
    note: str
    vocabulary: list[VocabularyOut]

    @classmethod
    def of(cls, v: ExpressionView) -> ExpressionOut:
        return cls(
            id=v.id,
            key=v.key,
            position=v.position,
            text=v.text,
            romanization=v.romanization,
            note=v.note,
            vocabulary=[
                VocabularyOut(
                    word=item.word,
                    reading=item.reading,
                    part_of_speech=item.part_of_speech,
                    meaning=item.meaning,
                )
                for item in v.vocabulary
            ],
        )


class LessonOut(msgspec.Struct, frozen=True):
    """`text` of each expression is in `target_language`; title, description, notes and
    meanings are in `explanation_language` (my native language when the lesson has it)."""

    id: str
    key: str
    category_id: str
    position: int
    level: str
    title: str
    description: str
    target_language: str
    explanation_language: str
    languages: list[str]
    expressions: list[ExpressionOut]
    progress: ProgressOut

    @classmethod
    def of(cls, v: LessonView) -> LessonOut:
        return cls(
            id=v.id,
            key=v.key,
            category_id=v.category_id,
            position=v.position,
            level=v.level,
            title=v.title,
            description=v.description,
            target_language=v.target_language,
            explanation_language=v.explanation_language,
            languages=v.languages,
            expressions=[ExpressionOut.of(e) for e in v.expressions],
            progress=ProgressOut.of(v.progress),
        )


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


class StatsOut(msgspec.Struct, frozen=True):
    lessons_completed: int
    expressions_learned: int
    minutes: int
    current_streak: int
    longest_streak: int
    streak_freezes_left: int
    reviews_due: int

    @classmethod
    def of(cls, r: StatsResult) -> StatsOut:
        return cls(
            lessons_completed=r.lessons_completed,
            expressions_learned=r.expressions_learned,
            minutes=r.minutes,
            current_streak=r.current_streak,
            longest_streak=r.longest_streak,
            streak_freezes_left=r.streak_freezes_left,
            reviews_due=r.reviews_due,
        )


class CardOut(msgspec.Struct, frozen=True):
    id: str
    source: str
    front: str
    back: str
    language: str
    due_at: datetime
    state: str

    @classmethod
    def of(cls, v: CardView) -> CardOut:
        return cls(
            id=v.id,
            source=v.source,
            front=v.front,
            back=v.back,
            language=v.language,
            due_at=v.due_at,
            state=v.state,
        )


class CardPageOut(msgspec.Struct, frozen=True):
    items: list[CardOut]
    next_cursor: str | None


class ReviewIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    card_id: Annotated[str, msgspec.Meta(max_length=64)]
    grade: Annotated[str, msgspec.Meta(max_length=16)]
