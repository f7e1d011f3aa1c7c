"""retention-cleanup of the notifications' tables (called by `adapters/sql/retention.py`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.notifications.common import notifications_t
from hypehere.adapters.sql.pruning import delete_by_id, id_floor_before


async def prune_read_notifications(session: AsyncSession, before: datetime, limit: int) -> int:
    """Notifications read and last updated before `before` (unread ones stay)."""
    return await delete_by_id(
        session,
        notifications_t,
        limit,
        notifications_t.c.id < id_floor_before(before),
        notifications_t.c.read_at.is_not(None),
        notifications_t.c.updated_at < before,
    )
