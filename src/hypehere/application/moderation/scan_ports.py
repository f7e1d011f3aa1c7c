"""Storage of scanned items (every verdict with its provenance, and the staff labels)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from hypehere.application.common.actor import Actor
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.moderation.verdicts import ReviewStatus, ScannedItem
from hypehere.domain.shared.pagination import Page, PageRequest


class ScannedItems(Protocol):
    async def add(self, item: ScannedItem) -> bool:
        """Store the item; False (nothing stored) when this content was already scanned."""
        ...

    async def get(self, item_id: str) -> ScannedItem | None: ...

    async def for_content(self, content_type: str, content_id: str) -> ScannedItem | None:
        """The stored verdict of this content, if it was scanned."""
        ...

    async def save(self, item: ScannedItem) -> None: ...

    async def by_status(self, status: ReviewStatus, page: PageRequest) -> Page[ScannedItem]:
        """Oldest first (created_at, then id); the cursor holds (created_at ISO, id)."""
        ...


class HeldContent(Protocol):
    """Content the fail-closed tier holds (owned by its module: posts by the feed)."""

    async def release(self, actor: Actor, content_type: ReportTargetType, content_id: str) -> bool:
        """Make held content visible to everyone allowed to see it, announced as if just
        created; False when it was not held (already released, or removed)."""
        ...

    async def waiting(
        self, actor: Actor, before: datetime, limit: int
    ) -> Sequence[tuple[ReportTargetType, str, str]]:
        """Held content written before `before`, oldest first: (type, id, language)."""
        ...
