"""Ports of the learning module: the curriculum, learners' progress, and what it needs to
know about a user (their languages), implemented over the users module's published
queries (`adapters/sql/learning/`) or by in-memory fakes (`adapters/memory/learning.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.domain.learning.corrections import Correction, CorrectionTarget
from hypehere.domain.learning.model import Category, Lesson, LessonProgress
from hypehere.domain.learning.reviews import Grade, ReviewCard, Schedule
from hypehere.domain.shared.pagination import Page, PageRequest


class Learner(msgspec.Struct, frozen=True):
    """A user as the learning module sees them."""

    user_id: str
    native_language: str
    target_languages: tuple[str, ...] = ()  # the user's order: the first is the default
    timezone: str = "UTC"  # IANA name: the calendar streak days are counted in
    desired_retention: float = 0.9  # FSRS: the recall probability reviews aim for


class CategorySummary(msgspec.Struct, frozen=True):
    id: str
    key: str
    position: int
    title: dict[str, str]
    description: dict[str, str]
    lesson_count: int


class LessonSummary(msgspec.Struct, frozen=True):
    id: str
    key: str
    category_id: str
    position: int
    level: str
    title: dict[str, str]
    description: dict[str, str]
    languages: list[str]
    expression_count: int


class LearnerDirectory(Protocol):
    async def learner(self, user_id: str) -> Learner | None:
        """The user's native and target languages; None for an unknown user."""
        ...


class CurriculumReader(Protocol):
    async def categories(self, page: PageRequest) -> Page[CategorySummary]:
        """Categories by (position, id); the cursor is (position, id)."""
        ...

    async def category(self, category_id: str) -> CategorySummary | None: ...

    async def lessons(self, category_id: str, page: PageRequest) -> Page[LessonSummary]:
        """The category's lessons by (position, id); the cursor is (position, id)."""
        ...

    async def lesson(self, lesson_id: str) -> Lesson | None:
        """One lesson with its expressions in order."""
        ...


class CurriculumWriter(Protocol):
    async def upsert(self, categories: Sequence[Category]) -> None:
        """Insert or update every category, lesson and expression by key (idempotent)."""
        ...

    async def remove_expressions_except(self, lesson_id: str, keep_keys: Sequence[str]) -> int:
        """Delete the lesson's expressions whose key is not in `keep_keys`; how many."""
        ...

    async def delete_lesson(self, lesson_id: str) -> bool:
        """Delete the lesson, its expressions and learners' progress in it (review cards
        keep their own copy of the text); False when there was none."""
        ...

    async def delete_category(self, category_id: str) -> bool:
        """Delete a category that has no lessons; False when there was none."""
        ...


class ContentAudit(Protocol):
    """The staff audit log (the moderation module's), written in the caller's transaction."""

    async def record(
        self,
        actor: Actor,
        action: str,
        target_type: str,
        target_id: str,
        at: datetime,
        *,
        detail: str | None = None,
    ) -> None:
        """`target_type`: category | lesson."""
        ...


class CurriculumSource(Protocol):
    """Where curriculum documents come from (the YAML data files)."""

    async def categories(self, location: str | None = None) -> list[Category]:
        """Every category of `location` (None: the shipped curriculum), by position.
        Raises CurriculumFormatError naming the place when a document is malformed."""
        ...


class ProgressRepository(Protocol):
    async def progress_of(
        self, user_id: str, lesson_ids: Sequence[str]
    ) -> dict[str, LessonProgress]:
        """The user's progress in those lessons (lessons never started are absent)."""
        ...

    async def completed_per_category(
        self, user_id: str, category_ids: Sequence[str]
    ) -> dict[str, int]:
        """How many lessons of each category the user completed (0 included)."""
        ...

    async def save(self, progress: LessonProgress) -> None:
        """Insert or replace the user's progress in that lesson."""
        ...

    async def totals(self, user_id: str) -> ProgressTotals:
        """Lessons completed, their expressions, and the time spent in all lessons."""
        ...


class ProgressTotals(msgspec.Struct, frozen=True):
    lessons_completed: int = 0
    expressions_learned: int = 0
    seconds_spent: int = 0


class ActivityRepository(Protocol):
    """The learner's streak days: local calendar days with a completed lesson or review."""

    async def mark_day(self, user_id: str, day: date) -> None:
        """Remember the day (idempotent: marking it again changes nothing)."""
        ...

    async def days(self, user_id: str) -> list[date]:
        """Every marked day, oldest first."""
        ...


class ReviewCardRepository(Protocol):
    async def add_many(self, cards: Sequence[ReviewCard]) -> int:
        """Insert the cards the user does not have yet (one per user, source and source
        id); how many were new."""
        ...

    async def get(self, card_id: str) -> ReviewCard | None: ...

    async def save(self, card: ReviewCard) -> None:
        """Store a card's schedule, reps and lapses after a review."""
        ...

    async def due(
        self, user_id: str, now: datetime, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[ReviewCard]:
        """The user's cards due at `now`, by (due_at, id), strictly after `after`."""
        ...

    async def count_due(self, user_id: str, now: datetime) -> int: ...


class ReviewScheduler(Protocol):
    """FSRS: where a card's schedule goes after a review with this grade."""

    def review(
        self, schedule: Schedule, grade: Grade, now: datetime, *, desired_retention: float
    ) -> Schedule: ...


class CorrectionTargetText(msgspec.Struct, frozen=True):
    """A text that may be corrected, as its owner module keeps it. `language` is the
    declared language (posts), or None where only detection can tell (comments, messages)."""

    author_id: str
    text: str
    language: str | None = None
    conversation_id: str | None = None


class CorrectionTargets(Protocol):
    async def find(
        self, target_type: CorrectionTarget, target_id: str, viewer_id: str
    ) -> CorrectionTargetText | None:
        """The text if it exists, is not removed and `viewer_id` may see it (a message only
        to the participants of its conversation); else None."""
        ...


class TextLanguageDetector(Protocol):
    def main_language(self, text: str) -> str | None:
        """The text's main language (ISO 639-1), None when unsure."""
        ...


class AcceptedCorrection(msgspec.Struct, frozen=True):
    accepted_at: datetime
    category: str


class CorrectionRepository(Protocol):
    async def add(self, correction: Correction) -> None:
        """Insert; `CorrectionExistsError` when the corrector already corrected the target."""
        ...

    async def get(self, correction_id: str) -> Correction | None: ...

    async def mark_accepted(self, correction: Correction) -> bool:
        """Store the acceptance; False when it was already accepted (a concurrent accept)."""
        ...

    async def for_target(
        self, target_type: CorrectionTarget, target_id: str, page: PageRequest
    ) -> Page[Correction]:
        """Corrections of one text, oldest first; the cursor is (created_at ISO, id)."""
        ...

    async def received(self, author_id: str, page: PageRequest) -> Page[Correction]:
        """Corrections of the author's texts, newest first; cursor (created_at ISO, id)."""
        ...

    async def accepted_of(self, author_id: str, language: str | None) -> list[AcceptedCorrection]:
        """When and in which category the author accepted corrections of their texts (in
        that language, or all), oldest first."""
        ...
