"""`FsrsScheduler`: the `ReviewScheduler` port over `fsrs.Scheduler`.

One `fsrs.Scheduler` per desired retention (the learner's setting), default parameters,
fuzzing off (the same answer always gives the same interval, so schedules are reproducible
and testable)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import fsrs

from hypehere.domain.learning.reviews import CardState, Grade, Schedule

_STATE_TO_FSRS = {
    CardState.LEARNING: fsrs.State.Learning,
    CardState.REVIEW: fsrs.State.Review,
    CardState.RELEARNING: fsrs.State.Relearning,
}
_STATE_FROM_FSRS = {v: k for k, v in _STATE_TO_FSRS.items()}
_RATING = {
    Grade.AGAIN: fsrs.Rating.Again,
    Grade.HARD: fsrs.Rating.Hard,
    Grade.GOOD: fsrs.Rating.Good,
    Grade.EASY: fsrs.Rating.Easy,
}


@lru_cache(maxsize=64)
def _scheduler(desired_retention: float) -> fsrs.Scheduler:
    return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


class FsrsScheduler:
    def review(
        self, schedule: Schedule, grade: Grade, now: datetime, *, desired_retention: float
    ) -> Schedule:
        card = fsrs.Card(
            state=_STATE_TO_FSRS[schedule.state],
            step=schedule.step,
            stability=schedule.stability,
            difficulty=schedule.difficulty,
            due=schedule.due_at,
            last_review=schedule.last_review_at,
        )
        after, _ = _scheduler(round(desired_retention, 4)).review_card(
            card, _RATING[grade], review_datetime=now
        )
        return Schedule(
            state=_STATE_FROM_FSRS[after.state],
            due_at=after.due,
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            last_review_at=after.last_review,
        )
