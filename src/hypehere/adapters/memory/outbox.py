"""In-memory outbox (writer and dispatcher store in one) and handled-events ledger.

For use-case tests (`outbox.messages` lists what a use case staged) and for the outbox
contract suite, which holds these to the same behaviour as the SQL adapters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec

from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import OutboxMessage
from hypehere.domain.shared.events import DomainEvent


@dataclass(slots=True)
class _Entry:
    message: OutboxMessage
    available_at: datetime
    attempts: int = 0
    delivered_at: datetime | None = None
    dead_at: datetime | None = None
    last_error: str | None = None


class InMemoryOutbox:
    """Implements `OutboxWriter` and `OutboxStore` (with the same lease semantics as SQL)."""

    def __init__(self, *, lease_seconds: float = 60.0) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lease = timedelta(seconds=lease_seconds)

    @property
    def messages(self) -> list[OutboxMessage]:
        """Everything ever staged, in order."""
        return [entry.message for entry in self._entries.values()]

    def topics(self) -> list[str]:
        return [entry.message.topic for entry in self._entries.values()]

    def is_delivered(self, event_id: str) -> bool:
        return self._entries[event_id].delivered_at is not None

    def is_dead(self, event_id: str) -> bool:
        return self._entries[event_id].dead_at is not None

    async def add(self, event: DomainEvent) -> None:
        if event.event_id in self._entries:
            raise StorageConflictError("The change conflicts with existing data")
        message = OutboxMessage(
            id=event.event_id,
            topic=event.topic,
            payload=event.payload(),
            occurred_at=event.occurred_at,
        )
        self._entries[event.event_id] = _Entry(message, available_at=event.occurred_at)

    async def fetch_pending(self, limit: int, now: datetime) -> Sequence[OutboxMessage]:
        due = sorted(
            (
                entry
                for entry in self._entries.values()
                if entry.delivered_at is None
                and entry.dead_at is None
                and entry.available_at <= now
            ),
            key=lambda entry: (entry.available_at, entry.message.id),
        )[:limit]
        claimed = []
        for entry in due:
            entry.available_at = now + self._lease
            claimed.append(
                OutboxMessage(
                    id=entry.message.id,
                    topic=entry.message.topic,
                    payload=dict(entry.message.payload),
                    occurred_at=entry.message.occurred_at,
                    attempts=entry.attempts,
                    lease_until=entry.available_at,
                )
            )
        return claimed

    async def start(
        self, messages: Sequence[OutboxMessage], now: datetime, *, count_attempt: bool = True
    ) -> Sequence[OutboxMessage]:
        started = []
        for message in messages:
            entry = self._entries.get(message.id)
            if (
                entry is None
                or message.lease_until is None
                or entry.available_at != message.lease_until
                or entry.delivered_at is not None
                or entry.dead_at is not None
            ):
                continue  # no longer ours
            entry.available_at = now + self._lease
            if count_attempt:
                entry.attempts += 1
            started.append(
                msgspec.structs.replace(
                    message, attempts=entry.attempts, lease_until=entry.available_at
                )
            )
        return started

    async def mark_delivered(self, event_id: str, now: datetime) -> None:
        if entry := self._entries.get(event_id):
            entry.delivered_at = now
            entry.last_error = None

    async def mark_delivered_many(self, event_ids: Sequence[str], now: datetime) -> None:
        for event_id in event_ids:
            await self.mark_delivered(event_id, now)

    async def mark_failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        if entry := self._entries.get(event_id):
            entry.available_at = retry_at
            entry.last_error = error

    async def mark_dead(self, event_id: str, error: str, now: datetime) -> None:
        if entry := self._entries.get(event_id):
            entry.dead_at = now
            entry.last_error = error


class InMemoryHandledEvents:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], datetime] = {}

    async def is_handled(self, handler: str, event_id: str) -> bool:
        return (handler, event_id) in self.records

    async def mark_handled(self, handler: str, event_id: str, now: datetime) -> None:
        if (handler, event_id) in self.records:
            raise StorageConflictError("The change conflicts with existing data")
        self.records[(handler, event_id)] = now

    async def handled_among(self, handler: str, event_ids: Sequence[str]) -> set[str]:
        return {e for e in event_ids if (handler, e) in self.records}

    async def mark_handled_many(
        self, handler: str, event_ids: Sequence[str], now: datetime
    ) -> None:
        if any((handler, e) in self.records for e in event_ids) or len(set(event_ids)) != len(
            event_ids
        ):
            raise StorageConflictError("The change conflicts with existing data")
        for event_id in event_ids:
            self.records[(handler, event_id)] = now
