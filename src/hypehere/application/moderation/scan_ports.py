"""Storage of scanned items (every verdict with its provenance, and the staff labels)."""

from __future__ import annotations

from typing import Protocol

from hypehere.domain.moderation.verdicts import ReviewStatus, ScannedItem
from hypehere.domain.shared.pagination import Page, PageRequest


class ScannedItems(Protocol):
    async def add(self, item: ScannedItem) -> bool:
        """Store the item; False (nothing stored) when this content was already scanned."""
        ...

    async def get(self, item_id: str) -> ScannedItem | None: ...

    async def save(self, item: ScannedItem) -> None: ...

    async def by_status(self, status: ReviewStatus, page: PageRequest) -> Page[ScannedItem]:
        """Oldest first (created_at, then id); the cursor holds (created_at ISO, id)."""
        ...
