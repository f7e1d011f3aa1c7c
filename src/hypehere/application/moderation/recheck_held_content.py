"""`moderation-scan` (every 5 minutes): held content whose check never completed (the
classifier was down for longer than the outbox retried, so the event was dead-lettered) is
checked again; held content that already has a verdict is left alone (waiting for staff),
or released if its verdict was safe or staff approved it. Content younger than
`RECHECK_AFTER` is left to the outbox handler that is still on it."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import structlog

from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.check_held_content import (
    CheckHeldContent,
    CheckHeldContentCommand,
)
from hypehere.application.moderation.classifier_ports import ClassifierUnavailableError
from hypehere.application.moderation.scan_content import SCANNER
from hypehere.application.moderation.scan_ports import HeldContent, ScannedItems
from hypehere.domain.moderation.verdicts import ReviewStatus
from hypehere.domain.shared.clock import Clock

logger = structlog.get_logger(__name__)

RECHECK_AFTER = timedelta(minutes=10)
RELEASED_BY = (ReviewStatus.CLEAR, ReviewStatus.APPROVED)


class RecheckHeldContentCommand(msgspec.Struct, frozen=True, kw_only=True):
    limit: int = 100


class RecheckResult(msgspec.Struct, frozen=True):
    checked: int
    released: int
    unavailable: bool


class RecheckHeldContent:
    def __init__(
        self,
        uow: UnitOfWork,
        held: HeldContent,
        items: ScannedItems,
        check: CheckHeldContent,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._held = held
        self._items = items
        self._check = check
        self._clock = clock

    async def execute(self, cmd: RecheckHeldContentCommand) -> RecheckResult:
        before = self._clock.now() - RECHECK_AFTER
        waiting = await self._held.waiting(SCANNER, before, cmd.limit)
        checked = released = 0
        for content_type, content_id, language in waiting:
            async with self._uow:
                verdict = await self._items.for_content(content_type.value, content_id)
                if verdict is not None:
                    if verdict.status in RELEASED_BY:
                        released += await self._held.release(SCANNER, content_type, content_id)
                    continue
            try:
                item = await self._check.execute(
                    CheckHeldContentCommand(
                        content_type=content_type.value, content_id=content_id, language=language
                    )
                )
            except ClassifierUnavailableError:
                logger.warning("held_recheck_classifier_unavailable", content_id=content_id)
                return RecheckResult(checked, released, unavailable=True)
            checked += 1
            released += item is not None and item.status is ReviewStatus.CLEAR
        logger.info("held_content_rechecked", checked=checked, released=released)
        return RecheckResult(checked, released, unavailable=False)
