"""`moderation-scan` (outbox-driven, fail-open): a new post, comment, direct message or
open-room message stays visible and is classified after the fact; every verdict is stored
with its provenance, and a flagged one (`needs_review`) waits in the staff queue. Content
that already has a verdict (held content checked before its release announced it) is not
classified again. When the classifier cannot answer, the error propagates and the outbox
dispatcher runs the scan again later (backoff, then dead letter): nothing is recorded as
safe without a verdict."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor, Role
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.classifier_ports import ContentClassifier
from hypehere.application.moderation.report_ports import ReportTargets
from hypehere.application.moderation.scan_ports import ScannedItems
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.moderation.verdicts import (
    ClassifyContext,
    ContentKind,
    ScannedItem,
)
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import new_id

logger = structlog.get_logger(__name__)

SCANNER = Actor(user_id="moderation-scan", role=Role.MODERATOR)  # reads any content

KIND_OF = {  # what the classifier is told it reads
    ReportTargetType.POST: ContentKind.POST,
    ReportTargetType.COMMENT: ContentKind.COMMENT,
    ReportTargetType.MESSAGE: ContentKind.MESSAGE,
    ReportTargetType.ROOM_MESSAGE: ContentKind.MESSAGE,
    ReportTargetType.ROOM: ContentKind.ROOM_TITLE,
}


class ScanContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    content_type: str  # post | comment | message | room_message
    content_id: str
    language: str = "und"


class ScanContent:
    def __init__(
        self,
        uow: UnitOfWork,
        targets: ReportTargets,
        classifier: ContentClassifier,
        items: ScannedItems,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._targets = targets
        self._classifier = classifier
        self._items = items
        self._clock = clock

    async def execute(self, cmd: ScanContentCommand) -> ScannedItem | None:
        kind = ReportTargetType(cmd.content_type)
        async with self._uow:
            if await self._items.for_content(kind.value, cmd.content_id) is not None:
                return None  # judged already: a held item, checked before its release
        target = await self._targets.locate(SCANNER, kind, cmd.content_id)
        if target is None:
            return None  # deleted before the scan: nothing left to judge
        verdict = await self._classifier.classify(
            target.text or target.excerpt, cmd.language, ClassifyContext(KIND_OF[kind])
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
        async with self._uow:
            stored = await self._items.add(item)
        logger.info(
            "content_scanned",
            content_type=kind.value,
            content_id=cmd.content_id,
            category=verdict.category.value,
            confidence=verdict.confidence,
            model=verdict.model,
            held_for_review=item.flagged,
            stored=stored,
        )
        return item
