"""Shared by the outbox tests: a test event, handlers with a real SQL effect, helpers."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, NamedTuple

from dishka import AsyncContainer, Provider, Scope, provide
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hypehere.application.common.outbox import OutboxHandler, OutboxMessage, OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.events import DomainEvent

TOPIC = "test.something_happened"
OTHER_TOPIC = "test.something_else"
EFFECTS_TABLE = "test_outbox_effects"


@dataclass(frozen=True, slots=True, kw_only=True)
class SomethingHappened(DomainEvent):
    topic: ClassVar[str] = TOPIC
    n: int


class Route(NamedTuple):
    topic: str
    handler_name: str
    handler_type: type[OutboxHandler]


class RecordEffect:
    """Inserts one row per run into the effects table through the request's transaction."""

    name = "test.record_effect"

    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def handle(self, message: OutboxMessage) -> None:
        async with self._uow:  # joins the dispatcher's transaction
            await self._session.execute(
                text(f"INSERT INTO {EFFECTS_TABLE} (event_id, handler) VALUES (:e, :h)"),
                {"e": message.id, "h": self.name},
            )


class FailTwiceThenRecord(RecordEffect):
    """Writes its effect, then fails (rolled back) on the first two deliveries."""

    name = "test.fail_twice"
    failures: ClassVar[dict[str, int]] = {}

    async def handle(self, message: OutboxMessage) -> None:
        await super().handle(message)
        seen = self.failures.get(message.id, 0)
        if seen < 2:
            self.failures[message.id] = seen + 1
            raise RuntimeError("transient failure")


class AlwaysFails:
    name = "test.always_fails"

    async def handle(self, message: OutboxMessage) -> None:
        raise RuntimeError("handler is broken")


class HangForever:
    """Used by the crash test: reports that it started, then never finishes."""

    async def handle(self, message: OutboxMessage) -> None:
        print(f"handling {message.id}", flush=True)
        sys.stdout.flush()
        await asyncio.Event().wait()


class BlockingRecord(RecordEffect):
    """Writes its effect, then waits for `release` (the transaction stays open)."""

    entered: ClassVar[list[str]] = []
    release: ClassVar[asyncio.Event | None] = None

    async def handle(self, message: OutboxMessage) -> None:
        await super().handle(message)
        self.entered.append(message.id)
        assert self.release is not None
        await self.release.wait()


class BatchRecord(RecordEffect):
    """Batch-capable: `handle_batch` records each run it gets (one transaction per run)."""

    name = "test.batch_record"
    batches: ClassVar[list[list[str]]] = []
    poison: ClassVar[set[int]] = set()  # payload `n` values whose handling fails

    async def handle(self, message: OutboxMessage) -> None:
        if message.payload["n"] in self.poison:
            raise RuntimeError("poison event")
        await super().handle(message)

    async def handle_batch(self, messages: Sequence[OutboxMessage]) -> None:
        self.batches.append([m.id for m in messages])
        for message in messages:
            await self.handle(message)


class DedupRecord(RecordEffect):
    """Keyed by the event itself: a second delivery of an event finds its effect and adds
    nothing, so the dispatcher keeps no ledger record for it. Batch-capable."""

    name = "test.dedup_record"
    dedups_by_event: ClassVar[bool] = True
    runs: ClassVar[list[str]] = []

    async def handle(self, message: OutboxMessage) -> None:
        self.runs.append(message.id)
        async with self._uow:
            await self._session.execute(
                text(
                    f"INSERT INTO {EFFECTS_TABLE} (event_id, handler) "
                    "SELECT CAST(:e AS VARCHAR(36)), CAST(:h AS VARCHAR(100)) "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {EFFECTS_TABLE} "
                    "WHERE event_id = CAST(:e AS VARCHAR(36)) "
                    "AND handler = CAST(:h AS VARCHAR(100)))"
                ),
                {"e": message.id, "h": self.name},
            )

    async def handle_batch(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            await self.handle(message)


class SlowExternalEffect:
    """An effect outside the database (an e-mail, a call to a partner), so no ledger can
    undo a second run: records each run in `sent`, then awaits `hook` (a slow handler)."""

    name = "test.slow_external"
    sent: ClassVar[list[str]] = []
    hooks: ClassVar[list[Any]] = []

    async def handle(self, message: OutboxMessage) -> None:
        self.sent.append(message.id)
        for hook in self.hooks:
            await hook(message)


class HandlersProvider(Provider):
    record = provide(RecordEffect, scope=Scope.REQUEST)
    fail_twice = provide(FailTwiceThenRecord, scope=Scope.REQUEST)
    always_fails = provide(AlwaysFails, scope=Scope.REQUEST)
    hang = provide(HangForever, scope=Scope.REQUEST)
    blocking = provide(BlockingRecord, scope=Scope.REQUEST)
    batch = provide(BatchRecord, scope=Scope.REQUEST)
    dedup = provide(DedupRecord, scope=Scope.REQUEST)
    slow_external = provide(SlowExternalEffect, scope=Scope.REQUEST)


async def reset_effects(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {EFFECTS_TABLE} "
                "(event_id VARCHAR(36) NOT NULL, handler VARCHAR(100) NOT NULL)"
            )
        )
        await conn.execute(text(f"DELETE FROM {EFFECTS_TABLE}"))


async def effects(engine: AsyncEngine, handler: str = RecordEffect.name) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(f"SELECT event_id FROM {EFFECTS_TABLE} WHERE handler = :h"), {"h": handler}
        )
        return [row[0] for row in rows]


async def ledger_records(engine: AsyncEngine, handler: str) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM handled_events WHERE handler = :h"), {"h": handler}
        )
        return int(count or 0)


async def stage(container: AsyncContainer, *events: DomainEvent) -> None:
    """Commit events the way a use case does: OutboxWriter inside a unit of work."""
    async with container() as request:
        uow = await request.get(UnitOfWork)  # type: ignore[type-abstract]
        writer = await request.get(OutboxWriter)  # type: ignore[type-abstract]
        async with uow:
            for event in events:
                await writer.add(event)


async def outbox_row(engine: AsyncEngine, event_id: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT delivered_at, dead_at, attempts, last_error FROM outbox_events "
                    "WHERE id = :id"
                ),
                {"id": event_id},
            )
        ).one()
        return dict(row._mapping)


@dataclass(frozen=True, slots=True, kw_only=True)
class SomethingElse(DomainEvent):
    topic: ClassVar[str] = OTHER_TOPIC
    n: int


def event_at(when: datetime, n: int = 1) -> SomethingHappened:
    return SomethingHappened(occurred_at=when, n=n)
