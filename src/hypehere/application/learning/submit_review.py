"""`POST /learning/reviews`: grade my recall of one card; FSRS moves its due date (aiming
at my `desired_retention`), and the review makes today a streak day."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.list_due_reviews import CardView
from hypehere.application.learning.ports import (
    ActivityRepository,
    LearnerDirectory,
    ReviewCardRepository,
    ReviewScheduler,
)
from hypehere.domain.learning.errors import ReviewCardNotFoundError
from hypehere.domain.learning.events import ReviewSubmitted
from hypehere.domain.learning.reviews import Grade
from hypehere.domain.learning.streaks import local_day
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError


class SubmitReviewCommand(msgspec.Struct, frozen=True):
    actor: Actor
    card_id: str
    grade: str


def _grade(raw: str) -> Grade:
    try:
        return Grade(raw)
    except ValueError as exc:
        raise InvalidInputError("grade must be again, hard, good or easy", field="grade") from exc


class SubmitReview:
    def __init__(
        self,
        uow: UnitOfWork,
        cards: ReviewCardRepository,
        scheduler: ReviewScheduler,
        learners: LearnerDirectory,
        activity: ActivityRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._uow = uow
        self._cards = cards
        self._scheduler = scheduler
        self._learners = learners
        self._activity = activity
        self._clock = clock

    async def execute(self, cmd: SubmitReviewCommand) -> CardView:
        grade = _grade(cmd.grade)
        async with self._uow:
            card = await self._cards.get(cmd.card_id)
            if card is None or card.user_id != cmd.actor.user_id:
                raise ReviewCardNotFoundError("The review card was not found")
            learner = await self._learners.learner(cmd.actor.user_id)
            now = self._clock.now()
            retention = learner.desired_retention if learner else 0.9
            card.reviewed(
                grade,
                self._scheduler.review(card.schedule, grade, now, desired_retention=retention),
            )
            await self._cards.save(card)
            native = learner.native_language if learner else card.language
            await self._outbox.add(
                ReviewSubmitted(
                    occurred_at=now, user_id=card.user_id, language_pair=(native, card.language)
                )
            )
            await self._activity.mark_day(
                card.user_id, local_day(now, learner.timezone if learner else "UTC")
            )
        return CardView.of(card)
