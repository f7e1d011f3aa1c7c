"""One contract for the outbox ports (OutboxStore, HandledEvents): memory, SQLite, Postgres."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.memory.outbox import InMemoryHandledEvents, InMemoryOutbox
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.outbox.store import SqlHandledEvents, SqlOutboxStore
from hypehere.adapters.sql.outbox.writer import SqlOutboxWriter
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.common.errors import StorageConflictError
from hypehere.application.common.outbox import HandledEvents, OutboxStore
from hypehere.domain.shared.events import DomainEvent
from tests.conftest import truncate_all
from tests.integration.platform.outbox_support import TOPIC, SomethingHappened

LEASE = 30.0
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Stage = Callable[..., Awaitable[None]]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class OutboxStoreContract:
    @pytest.fixture
    async def ports(self) -> AsyncIterator[tuple[OutboxStore, Stage]]:
        """The store (lease LEASE seconds) and `stage(*events)`, which commits events."""
        raise NotImplementedError
        yield

    async def test_fetch_returns_due_events_oldest_first_with_their_data(self, ports) -> None:
        store, stage = ports
        second = SomethingHappened(occurred_at=at(2), n=2)
        first = SomethingHappened(occurred_at=at(1), n=1)
        await stage(second, first)

        claimed = await store.fetch_pending(10, at(5))

        assert [m.id for m in claimed] == [first.event_id, second.event_id]
        assert claimed[0].topic == TOPIC
        assert claimed[0].payload == {"n": 1}
        assert claimed[0].occurred_at == at(1)
        assert [m.attempts for m in claimed] == [0, 0]  # claimed, not run yet

    async def test_events_not_yet_due_and_limit(self, ports) -> None:
        store, stage = ports
        events = [SomethingHappened(occurred_at=at(i), n=i) for i in range(5)]
        await stage(*events)

        assert [m.payload["n"] for m in await store.fetch_pending(2, at(3))] == [0, 1]
        assert [m.payload["n"] for m in await store.fetch_pending(10, at(3))] == [2, 3]
        assert await store.fetch_pending(10, at(3.5)) == []

    async def test_a_claim_is_leased_then_redelivered_with_one_more_attempt(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)

        claimed = await store.fetch_pending(10, at(1))
        assert [m.attempts for m in await store.start(claimed, at(1))] == [1]
        assert await store.fetch_pending(10, at(1)) == []
        assert await store.fetch_pending(10, at(1 + LEASE - 1)) == []
        again = await store.fetch_pending(10, at(1 + LEASE))
        assert [(m.id, m.attempts) for m in again] == [(event.event_id, 1)]
        assert [m.attempts for m in await store.start(again, at(1 + LEASE))] == [2]

    async def test_a_claim_never_run_counts_no_attempt(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)

        await store.fetch_pending(10, at(1))  # a dispatcher claims it and dies before running
        again = await store.fetch_pending(10, at(1 + LEASE))
        assert [m.attempts for m in again] == [0]

    async def test_starting_an_event_renews_its_lease(self, ports) -> None:
        """A batch of slow events: each one started late in the first lease keeps being
        hidden from a second dispatcher, whose claim gets only the events never started."""
        store, stage = ports
        events = [SomethingHappened(occurred_at=at(i / 10), n=i) for i in range(3)]
        await stage(*events)
        first_claim = await store.fetch_pending(10, at(1))

        [started] = await store.start(first_claim[:1], at(1 + LEASE - 5))
        assert started.attempts == 1
        second_claim = await store.fetch_pending(10, at(1 + LEASE + 1))
        assert [m.id for m in second_claim] == [events[1].event_id, events[2].event_id]
        # renewed again, the event stays hidden past the renewed lease's start
        assert await store.start([started], at(1 + 2 * LEASE - 10)) != []
        assert await store.fetch_pending(10, at(1 + 2 * LEASE)) == []

    async def test_an_event_another_dispatcher_claimed_is_not_started_here(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)
        mine = await store.fetch_pending(10, at(1))
        # my lease ran out while I worked on something else; another dispatcher claimed it
        theirs = await store.fetch_pending(10, at(1 + LEASE))

        assert await store.start(mine, at(2 + LEASE)) == []
        [started] = await store.start(theirs, at(2 + LEASE))
        assert (started.id, started.attempts) == (event.event_id, 1)

    async def test_delivered_or_dead_events_are_not_started(self, ports) -> None:
        store, stage = ports
        delivered = SomethingHappened(occurred_at=at(0), n=1)
        dead = SomethingHappened(occurred_at=at(0.5), n=2)
        await stage(delivered, dead)
        claimed = await store.fetch_pending(10, at(1))
        await store.mark_delivered(delivered.event_id, at(2))
        await store.mark_dead(dead.event_id, "gave up", at(2))

        assert await store.start(claimed, at(3)) == []

    async def test_a_retry_within_the_run_renews_without_counting(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)
        [started] = await store.start(await store.fetch_pending(10, at(1)), at(1))

        [renewed] = await store.start([started], at(20), count_attempt=False)
        assert renewed.attempts == 1
        assert await store.fetch_pending(10, at(1 + LEASE)) == []  # renewed from t=20

    async def test_delivered_events_are_never_fetched_again(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)
        [message] = await store.fetch_pending(10, at(1))

        await store.mark_delivered(message.id, at(2))

        assert await store.fetch_pending(10, at(10_000)) == []

    async def test_delivering_many_at_once(self, ports) -> None:
        store, stage = ports
        events = [SomethingHappened(occurred_at=at(i), n=i) for i in range(3)]
        await stage(*events)
        claimed = await store.fetch_pending(10, at(5))

        await store.mark_delivered_many([claimed[0].id, claimed[2].id], at(6))
        await store.mark_delivered_many([], at(6))

        again = await store.fetch_pending(10, at(10_000))
        assert [m.id for m in again] == [events[1].event_id]

    async def test_failed_events_come_back_at_retry_at(self, ports) -> None:
        store, stage = ports
        event = SomethingHappened(occurred_at=at(0), n=1)
        await stage(event)
        [message] = await store.fetch_pending(10, at(1))

        await store.mark_failed(message.id, "boom", retry_at=at(5))

        assert await store.fetch_pending(10, at(4.9)) == []
        [retried] = await store.fetch_pending(10, at(5))
        assert (retried.id, retried.attempts) == (event.event_id, 0)
        assert [m.attempts for m in await store.start([retried], at(5))] == [1]

    async def test_dead_letters_are_never_fetched_again(self, ports) -> None:
        store, stage = ports
        dead = SomethingHappened(occurred_at=at(0), n=1)
        alive = SomethingHappened(occurred_at=at(0.5), n=2)
        await stage(dead, alive)
        claimed = await store.fetch_pending(10, at(1))

        await store.mark_dead(dead.event_id, "gave up", at(2))
        await store.mark_failed(alive.event_id, "boom", retry_at=at(3))

        assert [m.id for m in claimed] == [dead.event_id, alive.event_id]
        assert [m.id for m in await store.fetch_pending(10, at(10_000))] == [alive.event_id]

    async def test_concurrent_claims_never_overlap(self, ports) -> None:
        store, stage = ports
        events = [SomethingHappened(occurred_at=at(i / 100), n=i) for i in range(30)]
        await stage(*events)

        batches = await asyncio.gather(*(store.fetch_pending(10, at(5)) for _ in range(4)))
        ids = [m.id for batch in batches for m in batch]
        rest = [m.id for m in await store.fetch_pending(100, at(5))]

        assert len(ids) == len(set(ids))
        assert sorted(ids + rest) == sorted(e.event_id for e in events)


class HandledEventsContract:
    @pytest.fixture
    async def handled(self) -> AsyncIterator[HandledEvents]:
        raise NotImplementedError
        yield

    async def test_records_per_handler_and_event(self, handled: HandledEvents) -> None:
        assert not await handled.is_handled("search.index", "e1")

        await handled.mark_handled("search.index", "e1", T0)

        assert await handled.is_handled("search.index", "e1")
        assert not await handled.is_handled("search.index", "e2")
        assert not await handled.is_handled("notifications.fanout", "e1")

    async def test_records_many_at_once(self, handled: HandledEvents) -> None:
        await handled.mark_handled("search.index", "e1", T0)
        await handled.mark_handled_many("search.index", ["e2", "e3"], T0)
        await handled.mark_handled_many("search.index", [], T0)

        assert await handled.handled_among("search.index", ["e1", "e3", "e4"]) == {"e1", "e3"}
        assert await handled.handled_among("notifications.fanout", ["e1", "e2"]) == set()
        assert await handled.handled_among("search.index", []) == set()
        with pytest.raises(StorageConflictError):
            await handled.mark_handled_many("search.index", ["e4", "e2"], T0)

    async def test_recording_twice_is_a_conflict(self, handled: HandledEvents) -> None:
        await handled.mark_handled("search.index", "e1", T0)
        with pytest.raises(StorageConflictError):
            await handled.mark_handled("search.index", "e1", T0)


class TestInMemoryOutboxStore(OutboxStoreContract):
    @pytest.fixture
    async def ports(self) -> AsyncIterator[tuple[OutboxStore, Stage]]:
        outbox = InMemoryOutbox(lease_seconds=LEASE)

        async def stage(*events: DomainEvent) -> None:
            for event in events:
                await outbox.add(event)

        yield outbox, stage


class TestInMemoryHandledEvents(HandledEventsContract):
    @pytest.fixture
    async def handled(self) -> AsyncIterator[HandledEvents]:
        yield InMemoryHandledEvents()


class SqlOutbox:
    @pytest.fixture
    def url(self) -> str:
        raise NotImplementedError

    @pytest.fixture
    async def ports(self, url: str) -> AsyncIterator[tuple[OutboxStore, Stage]]:
        await truncate_all(url)
        engine = create_engine(url)
        factory = create_session_factory(engine)

        async def stage(*events: DomainEvent) -> None:
            async with factory() as session:
                uow = SqlUnitOfWork(session)
                async with uow:
                    writer = SqlOutboxWriter(session, uow)
                    for event in events:
                        await writer.add(event)

        try:
            yield SqlOutboxStore(factory, lease_seconds=LEASE), stage
        finally:
            await engine.dispose()

    @pytest.fixture
    async def handled(self, url: str) -> AsyncIterator[HandledEvents]:
        await truncate_all(url)
        engine = create_engine(url)
        try:
            async with AsyncSession(engine) as session, session.begin():
                yield SqlHandledEvents(session)
        finally:
            await engine.dispose()


class TestSqliteOutboxStore(SqlOutbox, OutboxStoreContract, HandledEventsContract):
    @pytest.fixture
    def url(self, sqlite_url: str) -> str:
        return sqlite_url


class TestPostgresOutboxStore(SqlOutbox, OutboxStoreContract, HandledEventsContract):
    @pytest.fixture
    def url(self, postgres_url: str) -> str:
        return postgres_url
