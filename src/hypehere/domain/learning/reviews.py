"""Review cards (spaced repetition): what to recall, and where its FSRS schedule stands.

The schedule itself is computed by the `ReviewScheduler` port (FSRS); the domain keeps the
card's memory state and the rules around it: a card belongs to one learner, a review moves
it forward and never leaves it due in the past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CardSource(StrEnum):
    EXPRESSION = "expression"
    CORRECTION = "correction"


class CardState(StrEnum):
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Grade(StrEnum):
    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


@dataclass(frozen=True, slots=True)
class Schedule:
    """A card's FSRS memory state and next due time."""

    state: CardState
    due_at: datetime
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review_at: datetime | None = None

    @classmethod
    def new(cls, now: datetime) -> Schedule:
        """A card never reviewed: due at once, in the first learning step."""
        return cls(state=CardState.LEARNING, due_at=now, step=0)


@dataclass(slots=True)
class ReviewCard:
    id: str
    user_id: str
    source: CardSource
    source_id: str
    front: str  # the prompt (in the learner's native language)
    back: str  # what to recall (in `language`)
    language: str
    schedule: Schedule
    created_at: datetime
    reps: int = 0
    lapses: int = 0

    def reviewed(self, grade: Grade, schedule: Schedule) -> None:
        """Apply the scheduler's answer to a review with this grade."""
        self.reps += 1
        if grade is Grade.AGAIN and self.schedule.state is CardState.REVIEW:
            self.lapses += 1
        self.schedule = schedule
