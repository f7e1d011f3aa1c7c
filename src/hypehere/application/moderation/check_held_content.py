"""The fail-closed tier (outbox-driven): a held item (a new account's first posts,
comments, direct and room messages, every new room's title) is classified, its verdict stored
with its provenance like every scan, and then:
- nothing to review: it is released (`HeldContent.release`), announced as if just created;
- flagged (`needs_review`): it stays held, seen by its author only, and waits in the staff
  queue (`/admin/moderation/queue`); staff approval releases it, removal removes it (a
  held message is rejected: never delivered; a held room stays its creator's only, for
  good).
When the classifier cannot answer, the error propagates and the outbox dispatcher checks
the item again later (exponential backoff): it stays held meanwhile, never released
without a verdict."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.classifier_ports import ContentClassifier
from hypehere.application.moderation.report_ports import ReportTargets
from hypehere.application.moderation.scan_content import KIND_OF, SCANNER
from hypehere.application.moderation.scan_ports import HeldContent, ScannedItems
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.moderation.verdicts import ClassifyContext, ScannedItem
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)


class CheckHeldContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    content_type: str  # post | comment | room | message | room_message
    content_id: str
    language: str = "und"


class CheckHeldContent:
    def __init__(
        self,
        uow: UnitOfWork,
        targets: ReportTargets,
        classifier: ContentClassifier,
        items: ScannedItems,
        held: HeldContent,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._targets = targets
        self._classifier = classifier
        self._items = items
        self._held = held
        self._clock = clock

    async def execute(self, cmd: CheckHeldContentCommand) -> ScannedItem | None:
        kind = ReportTargetType(cmd.content_type)
        target = await self._targets.locate(SCANNER, kind, cmd.content_id)
        if target is None:
            return None  # deleted while held: nothing left to judge or release
        context = ClassifyContext(KIND_OF[kind], author_is_new=kind is not ReportTargetType.ROOM)
        verdict = await self._classifier.classify(
            target.text or target.excerpt, cmd.language, context
        )
        item = ScannedItem.judged(
            new_id(),
            kind.value,
            cmd.content_id,
            target.owner_id,
            target.excerpt,
            verdict,
            self._clock.now(),
        )
        flagged = item.flagged
        released = False
        async with self._uow:
            stored = await self._items.add(item)
            if not flagged:
                released = await self._held.release(SCANNER, kind, cmd.content_id)
        logger.info(
            "held_content_checked",
            content_type=kind.value,
            content_id=cmd.content_id,
            category=verdict.category.value,
            confidence=verdict.confidence,
            model=verdict.model,
            released=released,
            stored=stored,
        )
        return item
