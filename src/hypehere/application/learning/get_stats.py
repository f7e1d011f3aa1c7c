"""`GET /learning/stats`: totals, streaks in my calendar, and reviews due now."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.ports import (
    ActivityRepository,
    LearnerDirectory,
    ProgressRepository,
    ReviewCardRepository,
)
from hypehere.domain.learning.streaks import local_day, summarize_streaks
from hypehere.domain.shared.clock import Clock


class GetStatsCommand(msgspec.Struct, frozen=True):
    actor: Actor


class StatsResult(msgspec.Struct, frozen=True):
    lessons_completed: int
    expressions_learned: int
    minutes: int
    current_streak: int
    longest_streak: int
    streak_freezes_left: int
    reviews_due: int


class GetStats:
    def __init__(
        self,
        progress: ProgressRepository,
        activity: ActivityRepository,
        learners: LearnerDirectory,
        cards: ReviewCardRepository,
        clock: Clock,
    ) -> None:
        self._progress = progress
        self._activity = activity
        self._learners = learners
        self._cards = cards
        self._clock = clock

    async def execute(self, cmd: GetStatsCommand) -> StatsResult:
        user_id = cmd.actor.user_id
        now = self._clock.now()
        learner = await self._learners.learner(user_id)
        today = local_day(now, learner.timezone if learner else "UTC")
        totals = await self._progress.totals(user_id)
        streaks = summarize_streaks(await self._activity.days(user_id), today)
        return StatsResult(
            lessons_completed=totals.lessons_completed,
            expressions_learned=totals.expressions_learned,
            minutes=totals.seconds_spent // 60,
            current_streak=streaks.current,
            longest_streak=streaks.longest,
            streak_freezes_left=streaks.freezes_left,
            reviews_due=await self._cards.count_due(user_id, now),
        )
