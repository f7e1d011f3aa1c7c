"""Batched deletes that walk primary-key ranges, for retention-cleanup (each module prunes
its own tables with these: `<module>/retention.py`).

Ids are UUIDv7 (time-ordered), so "created before T" is `id < id_floor_before(T)`: each
batch is a range scan of the primary key, not a scan of the table, however large it has
grown. The timestamp condition next to it is the rule itself (a grouped notification keeps
its id but moves when it is updated)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.domain.shared.ids import id_floor


def id_floor_before(before: datetime) -> str:
    return id_floor(int(before.timestamp() * 1000))


async def delete_by_id(
    session: AsyncSession, table: Table, limit: int, *conditions: ColumnElement[bool]
) -> int:
    """Delete at most `limit` rows of `table` matching `conditions`, lowest ids first."""
    batch = select(table.c.id).where(*conditions).order_by(table.c.id).limit(limit)
    async with translate_errors():
        result: Any = await session.execute(
            delete(table).where(table.c.id.in_(batch.scalar_subquery()))
        )
    return int(result.rowcount or 0)
