"""Writes domain events to the outbox table inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.tables.outbox import OutboxEventRow
from hypehere.domain.shared.events import DomainEvent


def outbox_values(event: DomainEvent) -> dict[str, Any]:
    """The `outbox_events` row of a new event (for adapters that insert it themselves)."""
    return {
        "id": event.event_id,
        "topic": event.topic,
        "payload": event.payload(),
        "occurred_at": event.occurred_at,
        "available_at": event.occurred_at,
        "attempts": 0,
    }


class SqlOutboxWriter:
    """`on_commit` (optional) is called after a transaction that staged events commits, so
    an in-process dispatcher can wake up at once instead of waiting for its next poll."""

    def __init__(self, session: AsyncSession, on_commit: Callable[[], None] | None = None) -> None:
        self._session = session
        self._on_commit = on_commit
        self._listening = False

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
        if self._on_commit is not None and not self._listening:
            self._listening = True
            sa_event.listen(self._session.sync_session, "after_commit", self._committed)

    def _committed(self, _session: Any) -> None:
        if self._on_commit is not None:
            self._on_commit()
