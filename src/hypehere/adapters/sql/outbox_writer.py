"""Writes domain events to the outbox table inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.tables.outbox import OutboxEventRow
from hypehere.application.common.uow import UnitOfWork
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


def wake_after_commit(uow: UnitOfWork, on_commit: Callable[[], None] | None) -> None:
    """Call `on_commit` (if any) once the unit of work's transaction has committed."""
    if on_commit is None:
        return

    async def wake() -> None:
        on_commit()

    uow.after_commit(wake)


class SqlOutboxWriter:
    """`on_commit` (optional) is called after a transaction that staged events commits, so
    an in-process dispatcher can wake up at once instead of waiting for its next poll."""

    def __init__(
        self,
        session: AsyncSession,
        uow: UnitOfWork,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._session = session
        self._uow = uow
        self._on_commit = on_commit

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
        wake_after_commit(self._uow, self._on_commit)
