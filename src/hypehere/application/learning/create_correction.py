"""`POST /corrections`: a native speaker corrects someone's post, comment or message.

The spans are computed here (the client sends only the corrected text). The text's
language is the post's declared language, else what the language detector finds."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.learning.corrections_view import CorrectionView
from hypehere.application.learning.ports import (
    CorrectionRepository,
    CorrectionTargets,
    LearnerDirectory,
    TextLanguageDetector,
)
from hypehere.domain.learning.corrections import (
    Correction,
    CorrectionCategory,
    CorrectionTarget,
)
from hypehere.domain.learning.errors import (
    CorrectionTargetNotFoundError,
    InvalidCorrectionError,
)
from hypehere.domain.learning.events import CorrectionProposed
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id


class CreateCorrectionCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    target_type: str
    target_id: str
    corrected_text: str
    category: str
    note: str | None = None
    # For a message corrected from its conversation's socket: the message must be there.
    conversation_id: str | None = None


def parse_target_type(raw: str) -> CorrectionTarget:
    try:
        return CorrectionTarget(raw)
    except ValueError as exc:
        raise InvalidCorrectionError(
            "target_type must be post, comment or message", field="target_type"
        ) from exc


def _category(raw: str) -> CorrectionCategory:
    try:
        return CorrectionCategory(raw)
    except ValueError as exc:
        allowed = ", ".join(c.value for c in CorrectionCategory)
        raise InvalidCorrectionError(
            f"category must be one of {allowed}", field="category"
        ) from exc


class CreateCorrection:
    def __init__(
        self,
        uow: UnitOfWork,
        corrections: CorrectionRepository,
        targets: CorrectionTargets,
        learners: LearnerDirectory,
        detector: TextLanguageDetector,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._uow = uow
        self._corrections = corrections
        self._targets = targets
        self._learners = learners
        self._detector = detector
        self._clock = clock

    async def execute(self, cmd: CreateCorrectionCommand) -> CorrectionView:
        target_type = parse_target_type(cmd.target_type)
        category = _category(cmd.category)
        async with self._uow:
            target = await self._targets.find(target_type, cmd.target_id, cmd.actor.user_id)
            if target is None or (
                cmd.conversation_id is not None and target.conversation_id != cmd.conversation_id
            ):
                raise CorrectionTargetNotFoundError("The text to correct was not found")
            corrector = await self._learners.learner(cmd.actor.user_id)
            correction = Correction.propose(
                id=new_id(),
                corrector_id=cmd.actor.user_id,
                corrector_native_language=corrector.native_language if corrector else None,
                author_id=target.author_id,
                target_type=target_type,
                target_id=cmd.target_id,
                language=target.language or self._detector.main_language(target.text),
                original_text=target.text,
                corrected_text=cmd.corrected_text,
                category=category,
                note=cmd.note,
                now=self._clock.now(),
            )
            await self._corrections.add(correction)
            await self._outbox.add(
                CorrectionProposed(
                    occurred_at=correction.created_at,
                    correction_id=correction.id,
                    corrector_id=correction.corrector_id,
                    language_pair=(
                        corrector.native_language if corrector else correction.language,
                        correction.language,
                    ),
                )
            )
        return CorrectionView.of(correction)
