"""Writes domain events to the outbox table inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.tables.outbox import OutboxEventRow
from hypehere.domain.shared.events import DomainEvent


class SqlOutboxWriter:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: DomainEvent) -> None:
        self._session.add(
            OutboxEventRow(
                id=event.event_id,
                topic=event.topic,
                payload=event.payload(),
                occurred_at=event.occurred_at,
                available_at=event.occurred_at,
            )
        )
