"""`POST /corrections/{id}/accept`: the author takes a correction of their text.

It becomes a review card for the author (front: what they wrote, back: the correction),
and `CorrectionAccepted` goes to the outbox (for the corrector's notification and their
`corrections_accepted` count)."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.corrections_view import CorrectionView
from hypehere.application.learning.list_due_reviews import CardView
from hypehere.application.learning.ports import CorrectionRepository, ReviewCardRepository
from hypehere.domain.learning.errors import (
    CorrectionAlreadyAcceptedError,
    CorrectionNotFoundError,
    NotTheAuthorError,
)
from hypehere.domain.learning.events import CorrectionAccepted
from hypehere.domain.learning.reviews import CardSource, ReviewCard, Schedule
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id


class AcceptCorrectionCommand(msgspec.Struct, frozen=True):
    actor: Actor
    correction_id: str


class AcceptCorrectionResult(msgspec.Struct, frozen=True):
    """The accepted correction and the review card it became."""

    correction: CorrectionView
    card: CardView


class AcceptCorrection:
    def __init__(
        self,
        uow: UnitOfWork,
        corrections: CorrectionRepository,
        cards: ReviewCardRepository,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._corrections = corrections
        self._cards = cards
        self._outbox = outbox
        self._clock = clock

    async def execute(self, cmd: AcceptCorrectionCommand) -> AcceptCorrectionResult:
        async with self._uow:
            correction = await self._corrections.get(cmd.correction_id)
            if correction is None:
                raise CorrectionNotFoundError("The correction was not found")
            if correction.author_id != cmd.actor.user_id:
                raise NotTheAuthorError("Only the author of the text can accept a correction")
            now = self._clock.now()
            if correction.accepted_at is not None:
                raise CorrectionAlreadyAcceptedError("The correction was already accepted")
            correction.accepted_at = now
            if not await self._corrections.mark_accepted(correction):
                raise CorrectionAlreadyAcceptedError("The correction was already accepted")
            card = ReviewCard(
                id=new_id(),
                user_id=correction.author_id,
                source=CardSource.CORRECTION,
                source_id=correction.id,
                front=correction.original_text,
                back=correction.corrected_text,
                language=correction.language,
                schedule=Schedule.new(now),
                created_at=now,
            )
            await self._cards.add_many([card])
            await self._outbox.add(
                CorrectionAccepted(
                    occurred_at=now,
                    correction_id=correction.id,
                    corrector_id=correction.corrector_id,
                    author_id=correction.author_id,
                    target_type=correction.target_type.value,
                    target_id=correction.target_id,
                    language=correction.language,
                    category=correction.category.value,
                )
            )
        return AcceptCorrectionResult(
            correction=CorrectionView.of(correction), card=CardView.of(card)
        )
