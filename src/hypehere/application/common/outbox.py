"""Transactional outbox: events written with the change they describe, delivered later.

Writers call `OutboxWriter.add` inside a unit of work. The dispatcher reads pending events
with `OutboxStore`, hands each to its handlers, and records per-handler completion in the
same transaction as the handler's own effect, so redelivery never repeats an effect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import msgspec

from hypehere.domain.shared.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)


class OutboxMessage(msgspec.Struct, frozen=True):
    id: str
    topic: str
    payload: dict[str, Any]
    occurred_at: datetime
    attempts: int = 0  # runs started so far (`OutboxStore.start`), this one once started
    lease_until: datetime | None = None  # this dispatcher's hold on the event (claim token)

    def event(self, event_type: type[E]) -> E:
        """The domain event this message was written from: `payload` (what
        `DomainEvent.payload()` stored) with the message's id and time, decoded into the
        producer's own event class. Unknown payload keys are ignored; a missing or mistyped
        field raises `msgspec.ValidationError` (the dispatcher retries, then dead-letters)."""
        if self.topic != event_type.topic:
            raise ValueError(f"a {self.topic} message is not a {event_type.__name__}")
        fields = {**self.payload, "event_id": self.id, "occurred_at": self.occurred_at}
        return msgspec.convert(fields, event_type)


class OutboxWriter(Protocol):
    async def add(self, event: DomainEvent) -> None:
        """Stage the event in the current transaction."""
        ...


async def stage_events(outbox: OutboxWriter, events: list[DomainEvent]) -> None:
    """Move an aggregate's recorded events (its `events` list) to the outbox, in the
    current transaction."""
    for event in events:
        await outbox.add(event)
    events.clear()


class OutboxStore(Protocol):
    """Pending events for the dispatcher. Several dispatchers may share one store."""

    async def fetch_pending(self, limit: int, now: datetime) -> Sequence[OutboxMessage]:
        """Pending events due at `now`, oldest due first, claimed for this dispatcher.

        Claiming leases the event (`lease_until`): other dispatchers do not get it until the
        lease ends, so an event whose dispatcher died is delivered again once its lease has
        expired. Claiming counts no attempt (`attempts` is the runs started so far): a
        claimed event that was never run has not been tried."""
        ...

    async def start(
        self, messages: Sequence[OutboxMessage], now: datetime, *, count_attempt: bool = True
    ) -> Sequence[OutboxMessage]:
        """These claimed events are about to run: renew each one's lease from `now` and
        (unless `count_attempt` is False, a retry within the same run) count an attempt.
        Returns them with the new `attempts` and `lease_until`, leaving out any this
        dispatcher no longer holds (its lease ran out and another dispatcher claimed it, or
        it was delivered or dead-lettered meanwhile): those must not run here."""
        ...

    async def mark_delivered(self, event_id: str, now: datetime) -> None:
        """Every handler has processed the event; it is never fetched again."""
        ...

    async def mark_delivered_many(self, event_ids: Sequence[str], now: datetime) -> None:
        """`mark_delivered` for several events at once."""
        ...

    async def mark_failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        """A handler failed: fetch the event again from `retry_at`."""
        ...

    async def mark_dead(self, event_id: str, error: str, now: datetime) -> None:
        """Give up (dead letter): the event stays in the store but is never fetched again."""
        ...


class HandledEvents(Protocol):
    """Idempotency ledger: which handler has already processed which event."""

    async def is_handled(self, handler: str, event_id: str) -> bool: ...

    async def mark_handled(self, handler: str, event_id: str, now: datetime) -> None: ...

    async def handled_among(self, handler: str, event_ids: Sequence[str]) -> set[str]:
        """Those of `event_ids` that `handler` has already processed."""
        ...

    async def mark_handled_many(
        self, handler: str, event_ids: Sequence[str], now: datetime
    ) -> None: ...


class OutboxHandler(Protocol):
    """Processes one topic's events. Resolved per event in a fresh request scope and run in
    one transaction with its `HandledEvents` record: its own `async with uow:` joins it.

    A handler class may declare `dedups_by_event: ClassVar[bool] = True` when its effect is
    keyed by the event id itself (a second delivery of the same event finds the first
    effect and adds nothing, and a concurrent one fails on a unique key and rolls back):
    the dispatcher then keeps no `HandledEvents` record for it."""

    async def handle(self, message: OutboxMessage) -> None: ...


class BatchOutboxHandler(OutboxHandler, Protocol):
    """A handler that can also process several events of its topic at once (in one
    transaction with their `HandledEvents` records): the dispatcher hands it the run of
    consecutive pending events of that topic. If the batch fails, the dispatcher retries its
    events one by one with `handle`, so one bad event does not hold back the others."""

    async def handle_batch(self, messages: Sequence[OutboxMessage]) -> None: ...


EventHandler = Callable[[OutboxMessage], Awaitable[None]]
