"""SQL side of retention-cleanup: batched deletes that walk primary-key ranges.

Ids are UUIDv7 (time-ordered), so "created before T" is `id < id_floor(T)`: each batch is
a range scan of the primary key, not a scan of the table, however large it has grown. The
timestamp condition next to it is the rule itself (a grouped notification keeps its id but
moves when it is updated)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.tables.feed import FeedImpressionRow
from hypehere.adapters.sql.tables.notifications import NotificationRow
from hypehere.adapters.sql.tables.outbox import HandledEventRow, OutboxEventRow
from hypehere.domain.shared.ids import id_floor

_outbox: Table = OutboxEventRow.__table__  # type: ignore[attr-defined]
_handled: Table = HandledEventRow.__table__  # type: ignore[attr-defined]
_impressions: Table = FeedImpressionRow.__table__  # type: ignore[attr-defined]
_notifications: Table = NotificationRow.__table__  # type: ignore[attr-defined]


def _floor(before: datetime) -> str:
    return id_floor(int(before.timestamp() * 1000))


class SqlRetentionStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _delete_by_id(
        self, table: Table, limit: int, *conditions: ColumnElement[bool]
    ) -> int:
        batch = select(table.c.id).where(*conditions).order_by(table.c.id).limit(limit)
        async with translate_errors():
            result: Any = await self._session.execute(
                delete(table).where(table.c.id.in_(batch.scalar_subquery()))
            )
        return int(result.rowcount or 0)

    async def prune_delivered_events(self, before: datetime, limit: int) -> int:
        return await self._delete_by_id(
            _outbox,
            limit,
            _outbox.c.id < _floor(before),
            _outbox.c.delivered_at < before,
            _outbox.c.dead_at.is_(None),
        )

    async def prune_handled_marks(self, before: datetime, limit: int) -> int:
        # The key is (handler, event_id): one range per handler (there are a few dozen).
        async with translate_errors():
            handlers = list(await self._session.scalars(select(_handled.c.handler).distinct()))
        floor = _floor(before)
        deleted = 0
        for handler in handlers:
            batch = (
                select(_handled.c.handler, _handled.c.event_id)
                .where(
                    _handled.c.handler == handler,
                    _handled.c.event_id < floor,
                    _handled.c.handled_at < before,
                )
                .order_by(_handled.c.event_id)
                .limit(limit - deleted)
            )
            async with translate_errors():
                result: Any = await self._session.execute(
                    delete(_handled).where(
                        tuple_(_handled.c.handler, _handled.c.event_id).in_(batch)
                    )
                )
            deleted += int(result.rowcount or 0)
            if deleted >= limit:
                break
        return deleted

    async def prune_impressions(self, before: datetime, limit: int) -> int:
        return await self._delete_by_id(
            _impressions,
            limit,
            _impressions.c.id < _floor(before),
            _impressions.c.shown_at < before,
        )

    async def prune_read_notifications(self, before: datetime, limit: int) -> int:
        return await self._delete_by_id(
            _notifications,
            limit,
            _notifications.c.id < _floor(before),
            _notifications.c.read_at.is_not(None),
            _notifications.c.updated_at < before,
        )
