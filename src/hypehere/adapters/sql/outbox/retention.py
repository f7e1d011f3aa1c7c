"""retention-cleanup of the outbox's tables (called by `adapters/sql/retention.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.outbox.tables import HandledEventRow, OutboxEventRow
from hypehere.adapters.sql.pruning import delete_by_id, id_floor_before

_outbox: Table = OutboxEventRow.__table__  # type: ignore[attr-defined]
_handled: Table = HandledEventRow.__table__  # type: ignore[attr-defined]


async def prune_delivered_events(session: AsyncSession, before: datetime, limit: int) -> int:
    """Outbox events delivered before `before` (pending and dead-lettered ones stay)."""
    return await delete_by_id(
        session,
        _outbox,
        limit,
        _outbox.c.id < id_floor_before(before),
        _outbox.c.delivered_at < before,
        _outbox.c.dead_at.is_(None),
    )


async def prune_handled_marks(session: AsyncSession, before: datetime, limit: int) -> int:
    """Handlers' "already handled" marks made before `before`."""
    # The key is (handler, event_id): one range per handler (there are a few dozen).
    async with translate_errors():
        handlers = list(await session.scalars(select(_handled.c.handler).distinct()))
    floor = id_floor_before(before)
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
            result: Any = await session.execute(
                delete(_handled).where(tuple_(_handled.c.handler, _handled.c.event_id).in_(batch))
            )
        deleted += int(result.rowcount or 0)
        if deleted >= limit:
            break
    return deleted
