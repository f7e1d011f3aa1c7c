"""Staff: scanned items in one status (pending by default: flagged and waiting), oldest
first, each with its verdict (category, confidence, reason, model, prompt_version)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.common.actor import Actor, require_staff
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.moderation.audit_trail import parse_time_cursor
from hypehere.application.moderation.choices import parse_choice
from hypehere.application.moderation.scan_ports import ScannedItems
from hypehere.domain.moderation.verdicts import ReviewStatus, ScannedItem
from hypehere.domain.shared.pagination import PageRequest


class ScannedItemView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    content_type: str
    content_id: str
    author_id: str
    excerpt: str
    category: str
    confidence: float
    reason: str
    model: str
    prompt_version: str
    status: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, item: ScannedItem) -> ScannedItemView:
        v = item.verdict
        return cls(
            id=item.id,
            content_type=item.content_type,
            content_id=item.content_id,
            author_id=item.author_id,
            excerpt=item.excerpt,
            category=v.category.value,
            confidence=v.confidence,
            reason=v.reason,
            model=v.model,
            prompt_version=v.prompt_version,
            status=item.status.value,
            created_at=item.created_at,
            decided_by=item.decided_by,
            decided_at=item.decided_at,
        )


class ScannedPageView(msgspec.Struct, frozen=True):
    items: list[ScannedItemView]
    next_cursor: str | None


class ListModerationQueueCommand(msgspec.Struct, frozen=True, kw_only=True):
    actor: Actor
    status: str = ReviewStatus.PENDING.value
    limit: int | None = None
    cursor: str | None = None


class ListModerationQueue:
    def __init__(self, uow: UnitOfWork, items: ScannedItems) -> None:
        self._uow = uow
        self._items = items

    async def execute(self, cmd: ListModerationQueueCommand) -> ScannedPageView:
        require_staff(cmd.actor)
        status = parse_choice(ReviewStatus, cmd.status, "status")
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=2)
        parse_time_cursor(page.cursor)  # the same (time, id) cursor shape
        async with self._uow:
            result = await self._items.by_status(status, page)
        return ScannedPageView(
            items=[ScannedItemView.of(i) for i in result.items], next_cursor=result.next_cursor
        )
