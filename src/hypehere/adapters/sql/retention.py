"""SQL side of retention-cleanup: the `RetentionStore` port, one method per module's own
prune function (each module deletes only from its own tables; `pruning.py` has the
batched, primary-key-range delete they share)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.analytics.repositories import SqlActivityLog
from hypehere.adapters.sql.feed.retention import prune_impressions
from hypehere.adapters.sql.notifications.retention import prune_read_notifications
from hypehere.adapters.sql.outbox.retention import prune_delivered_events, prune_handled_marks
from hypehere.adapters.sql.users.retention import prune_refresh_tokens


class SqlRetentionStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def prune_delivered_events(self, before: datetime, limit: int) -> int:
        return await prune_delivered_events(self._session, before, limit)

    async def prune_handled_marks(self, before: datetime, limit: int) -> int:
        return await prune_handled_marks(self._session, before, limit)

    async def prune_impressions(self, before: datetime, limit: int) -> int:
        return await prune_impressions(self._session, before, limit)

    async def prune_read_notifications(self, before: datetime, limit: int) -> int:
        return await prune_read_notifications(self._session, before, limit)

    async def prune_refresh_tokens(self, before: datetime, limit: int) -> int:
        return await prune_refresh_tokens(self._session, before, limit)

    async def prune_activity_events(self, before: datetime, limit: int) -> int:
        return await SqlActivityLog(self._session).prune(before, limit)
