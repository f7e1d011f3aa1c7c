"""Writes domain events to the outbox table inside the caller's transaction.

The outbox's published door: every module stages its events with `SqlOutboxWriter` (the
`OutboxWriter` port) or, on a hand-written hot path, `outbox_insert()` + `outbox_values`;
the outbox tables themselves stay private to `adapters/sql/outbox/`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.outbox.tables import OutboxEventRow
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


def outbox_insert() -> Insert:
    """`INSERT INTO outbox_events`, to execute with `outbox_values(event)` (one or many)."""
    return insert(OutboxEventRow.__table__)  # type: ignore[attr-defined]


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
