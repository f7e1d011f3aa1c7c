"""retention-cleanup of the feed's tables (called by `adapters/sql/retention.py`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.feed.common import impressions
from hypehere.adapters.sql.pruning import delete_by_id, id_floor_before


async def prune_impressions(session: AsyncSession, before: datetime, limit: int) -> int:
    """Feed impressions shown before `before` (training data older than the window)."""
    return await delete_by_id(
        session,
        impressions,
        limit,
        impressions.c.id < id_floor_before(before),
        impressions.c.shown_at < before,
    )
