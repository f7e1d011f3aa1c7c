"""`POST /learning/lessons/{id}/progress`: one study session of a lesson.

Keeps the best score and adds up the time; a completed session marks today (in my time
zone) as a streak day, once however many sessions I finish that day; the first completion
gives me a review card for every expression of the lesson (in the target language)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.content import ReadContent, load_lesson
from hypehere.application.learning.ports import (
    ActivityRepository,
    CurriculumReader,
    LearnerDirectory,
    ProgressRepository,
    ReviewCardRepository,
)
from hypehere.application.learning.targets import target_language_for
from hypehere.application.learning.views import ProgressView, Reader
from hypehere.domain.learning.events import LessonCompleted
from hypehere.domain.learning.model import LessonProgress
from hypehere.domain.learning.reviews import CardSource, ReviewCard, Schedule
from hypehere.domain.learning.streaks import local_day
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id


class RecordProgressCommand(ReadContent, frozen=True, kw_only=True):
    """`fallback_language`: the language of the review cards' fronts when the lesson lacks
    the learner's native language."""

    lesson_id: str
    completed: bool
    score: int
    seconds_spent: int
    target_language: str | None = None


class RecordProgressResult(msgspec.Struct, frozen=True):
    lesson_id: str
    progress: ProgressView
    cards_created: int


class RecordProgress:
    def __init__(
        self,
        uow: UnitOfWork,
        curriculum: CurriculumReader,
        progress: ProgressRepository,
        learners: LearnerDirectory,
        activity: ActivityRepository,
        cards: ReviewCardRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._uow = uow
        self._curriculum = curriculum
        self._progress = progress
        self._learners = learners
        self._activity = activity
        self._cards = cards
        self._clock = clock

    async def execute(self, cmd: RecordProgressCommand) -> RecordProgressResult:
        user_id = cmd.actor.user_id
        async with self._uow:
            lesson = await load_lesson(self._curriculum, cmd.lesson_id)
            learner = await self._learners.learner(user_id)
            target = target_language_for(lesson, learner, cmd.target_language)
            now = self._clock.now()
            progress = (await self._progress.progress_of(user_id, [lesson.id])).get(
                lesson.id
            ) or LessonProgress.start(user_id, lesson.id, now)
            first_completion = progress.record(
                completed=cmd.completed,
                score=cmd.score,
                seconds_spent=cmd.seconds_spent,
                now=now,
            )
            await self._progress.save(progress)
            if cmd.completed:
                timezone = learner.timezone if learner else "UTC"
                await self._activity.mark_day(user_id, local_day(now, timezone))
            created = 0
            if first_completion:
                native = learner.native_language if learner else cmd.fallback_language
                await self._outbox.add(
                    LessonCompleted(
                        occurred_at=now,
                        user_id=user_id,
                        lesson_id=lesson.id,
                        language_pair=(native, target),
                    )
                )
                reader = Reader.of(learner, cmd.fallback_language)
                created = await self._cards.add_many(
                    [
                        ReviewCard(
                            id=new_id(),
                            user_id=user_id,
                            source=CardSource.EXPRESSION,
                            source_id=e.id,
                            front=reader.text(e.text),
                            back=e.text[target],
                            language=target,
                            schedule=Schedule.new(now),
                            created_at=now,
                        )
                        for e in lesson.expressions
                    ]
                )
        return RecordProgressResult(
            lesson_id=lesson.id, progress=ProgressView.of(progress), cards_created=created
        )
