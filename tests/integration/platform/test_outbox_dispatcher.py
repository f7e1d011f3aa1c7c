"""The outbox dispatcher against SQLite and PostgreSQL: exactly-once effects under
redelivery, retries with backoff, dead letters, crash recovery, wake-up on commit."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine

from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.sql.engine import create_engine
from hypehere.application.common.outbox import OutboxMessage, OutboxStore
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.settings import Settings
from hypehere.bootstrap.worker import EmbeddedWorker
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.integration.platform.outbox_support import (
    OTHER_TOPIC,
    TOPIC,
    AlwaysFails,
    BatchRecord,
    BlockingRecord,
    DedupRecord,
    FailTwiceThenRecord,
    HandlersProvider,
    HangForever,
    RecordEffect,
    Route,
    SlowExternalEffect,
    SomethingElse,
    effects,
    event_at,
    ledger_records,
    outbox_row,
    reset_effects,
    stage,
)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
LEASE = 60.0


@pytest.fixture
async def engine(backend_settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(backend_settings.effective_database_url)
    await reset_effects(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def container(backend_settings: Settings) -> AsyncIterator[AsyncContainer]:
    container = make_container(backend_settings, HandlersProvider(), web=False)
    try:
        yield container
    finally:
        await container.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now().astimezone())


async def dispatcher_for(
    container: AsyncContainer,
    clock: FixedClock,
    routes: Sequence[Route],
    store: OutboxStore | None = None,
    **options: float,
) -> OutboxDispatcher:
    store = store or await container.get(OutboxStore)  # type: ignore[type-abstract]
    return OutboxDispatcher(container, store, routes, clock, **options)  # type: ignore[arg-type]


RECORD = Route(TOPIC, RecordEffect.name, RecordEffect)


class AckFails:
    """Wraps the real store; acknowledging raises (or cancels, as a killed task would)."""

    def __init__(self, store: OutboxStore, failure: BaseException) -> None:
        self._store = store
        self._failure = failure

    async def fetch_pending(self, limit: int, now: datetime) -> Sequence[OutboxMessage]:
        return await self._store.fetch_pending(limit, now)

    async def start(
        self, messages: Sequence[OutboxMessage], now: datetime, *, count_attempt: bool = True
    ) -> Sequence[OutboxMessage]:
        return await self._store.start(messages, now, count_attempt=count_attempt)

    async def mark_delivered(self, event_id: str, now: datetime) -> None:
        raise self._failure

    async def mark_delivered_many(self, event_ids: Sequence[str], now: datetime) -> None:
        raise self._failure

    async def mark_failed(self, event_id: str, error: str, retry_at: datetime) -> None:
        await self._store.mark_failed(event_id, error, retry_at)

    async def mark_dead(self, event_id: str, error: str, now: datetime) -> None:
        await self._store.mark_dead(event_id, error, now)


async def test_delivers_each_event_to_its_handler_once(container, engine, clock) -> None:
    events = [event_at(clock.now(), n) for n in range(3)]
    await stage(container, *events)
    dispatcher = await dispatcher_for(container, clock, [RECORD])

    assert await dispatcher.drain() == 3
    assert await dispatcher.drain() == 0

    assert sorted(await effects(engine)) == sorted(e.event_id for e in events)
    for event in events:
        row = await outbox_row(engine, event.event_id)
        assert row["delivered_at"] is not None
        assert row["attempts"] == 1


async def test_the_lag_from_commit_to_delivery_is_observed(container, engine, clock) -> None:
    from prometheus_client import REGISTRY

    def observed(suffix: str) -> float:
        value = REGISTRY.get_sample_value(f"hypehere_outbox_lag_seconds_{suffix}", {"topic": TOPIC})
        return value or 0.0

    count, total = observed("count"), observed("sum")
    events = [event_at(clock.now() - timedelta(seconds=10), n) for n in range(2)]
    await stage(container, *events)
    dispatcher = await dispatcher_for(container, clock, [RECORD])
    assert await dispatcher.drain() == 2
    assert observed("count") == count + 2
    assert observed("sum") == pytest.approx(total + 20)


@pytest.fixture
def batch_record() -> Iterator[type[BatchRecord]]:
    BatchRecord.batches.clear()
    BatchRecord.poison.clear()
    yield BatchRecord
    BatchRecord.batches.clear()
    BatchRecord.poison.clear()


async def test_a_batch_handler_gets_runs_of_consecutive_events_of_its_topic(
    container, engine, clock, batch_record
) -> None:
    now = clock.now() - timedelta(seconds=10)  # all due
    first = [event_at(now + timedelta(milliseconds=i), i) for i in range(3)]
    between = SomethingElse(occurred_at=now + timedelta(milliseconds=3), n=3)
    last = [event_at(now + timedelta(milliseconds=4 + i), 4 + i) for i in range(2)]
    await stage(container, *first, between, *last)
    routes = [
        Route(TOPIC, BatchRecord.name, BatchRecord),
        Route(OTHER_TOPIC, RecordEffect.name, RecordEffect),
    ]
    dispatcher = await dispatcher_for(container, clock, routes)

    assert await dispatcher.drain() == 6

    # two runs (the other topic's event keeps its place between them), one call each
    assert batch_record.batches == [[e.event_id for e in first], [e.event_id for e in last]]
    assert sorted(await effects(engine, BatchRecord.name)) == sorted(
        e.event_id for e in first + last
    )
    assert await effects(engine, RecordEffect.name) == [between.event_id]
    for event in [*first, between, *last]:
        assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None


async def test_a_failed_batch_is_retried_one_by_one_so_only_the_bad_event_waits(
    container, engine, clock, batch_record
) -> None:
    events = [event_at(clock.now() - timedelta(seconds=10 - i / 1000), i) for i in range(4)]
    await stage(container, *events)
    batch_record.poison.add(2)
    dispatcher = await dispatcher_for(
        container, clock, [Route(TOPIC, BatchRecord.name, BatchRecord)]
    )

    assert await dispatcher.drain() == 4

    # the batch rolled back whole, then each event ran alone: the good ones once
    assert sorted(await effects(engine, BatchRecord.name)) == sorted(
        e.event_id for e in events if e.payload()["n"] != 2
    )
    bad = await outbox_row(engine, events[2].event_id)
    assert bad["delivered_at"] is None and bad["attempts"] == 1
    assert "poison event" in bad["last_error"]
    for event in (events[0], events[1], events[3]):
        assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None

    # the bad event comes back alone once it is fixed, and nothing repeats
    batch_record.poison.clear()
    clock.advance(hours=1)
    assert await dispatcher.drain() == 1
    assert sorted(await effects(engine, BatchRecord.name)) == sorted(e.event_id for e in events)


async def test_a_redelivered_batch_skips_what_its_handler_already_did(
    container, engine, clock, batch_record
) -> None:
    events = [event_at(clock.now() - timedelta(seconds=10 - i / 1000), i) for i in range(3)]
    await stage(container, *events)
    route = Route(TOPIC, BatchRecord.name, BatchRecord)
    failing_ack = await dispatcher_for(
        container,
        clock,
        [route],
        store=AckFails(await container.get(OutboxStore), RuntimeError("ack lost")),  # type: ignore[type-abstract]
    )
    assert await failing_ack.dispatch_once() == 3  # handled and recorded, ack lost

    clock.advance(seconds=LEASE)
    dispatcher = await dispatcher_for(container, clock, [route])
    assert await dispatcher.drain() == 3
    assert sorted(await effects(engine, BatchRecord.name)) == sorted(e.event_id for e in events)
    for event in events:
        assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None


@pytest.mark.parametrize("count", [1, 3], ids=["alone", "batch"])
async def test_a_handler_that_dedups_by_event_keeps_no_ledger_and_acts_once(
    container, engine, clock, count: int
) -> None:
    events = [event_at(clock.now() - timedelta(seconds=10 - i / 1000), i) for i in range(count)]
    await stage(container, *events)
    DedupRecord.runs = []
    route = Route(TOPIC, DedupRecord.name, DedupRecord)
    store = await container.get(OutboxStore)  # type: ignore[type-abstract]
    failing_ack = await dispatcher_for(
        container, clock, [route], store=AckFails(store, RuntimeError("ack lost"))
    )
    assert await failing_ack.dispatch_once() == count  # handled, ack lost

    clock.advance(seconds=LEASE)
    assert await (await dispatcher_for(container, clock, [route])).drain() == count

    ids = sorted(e.event_id for e in events)
    assert sorted(DedupRecord.runs) == sorted(ids * 2)  # redelivered to the handler...
    assert sorted(await effects(engine, DedupRecord.name)) == ids  # ...which acted once
    assert await ledger_records(engine, DedupRecord.name) == 0
    for event in events:
        assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None


@pytest.mark.parametrize(
    "failure", [RuntimeError("crash before ack"), asyncio.CancelledError()], ids=["raise", "cancel"]
)
async def test_interrupted_before_ack_redelivery_does_not_repeat_the_effect(
    container, engine, clock, failure: BaseException
) -> None:
    event = event_at(clock.now())
    await stage(container, event)
    store = await container.get(OutboxStore)  # type: ignore[type-abstract]
    crashing = await dispatcher_for(container, clock, [RECORD], AckFails(store, failure))

    cancelled = isinstance(failure, asyncio.CancelledError)
    with pytest.raises(asyncio.CancelledError) if cancelled else contextlib.nullcontext():
        await crashing.dispatch_once()

    assert await effects(engine) == [event.event_id]  # the handler's commit happened
    assert (await outbox_row(engine, event.event_id))["delivered_at"] is None

    clock.advance(seconds=LEASE + 1)  # the lease of the dead delivery runs out
    recovered = await dispatcher_for(container, clock, [RECORD])
    assert await recovered.drain() == 1

    assert await effects(engine) == [event.event_id]  # exactly once
    row = await outbox_row(engine, event.event_id)
    assert row["delivered_at"] is not None
    assert row["attempts"] == 2


async def test_two_dispatchers_on_one_event_apply_the_effect_once(
    backend: str, container, engine, clock
) -> None:
    """Dispatcher A is slow; its lease runs out and B claims the same event while A's
    transaction is still open. Whichever records `handled_events` second rolls back."""
    event = event_at(clock.now())
    await stage(container, event)
    BlockingRecord.entered = []
    BlockingRecord.release = asyncio.Event()
    routes = [Route(TOPIC, RecordEffect.name, BlockingRecord)]
    first = await dispatcher_for(container, clock, routes)
    second = await dispatcher_for(container, clock, routes)

    slow = asyncio.create_task(first.dispatch_once())
    async with asyncio.timeout(30):
        while not BlockingRecord.entered:  # noqa: ASYNC110 (waiting for the handler to start)
            await asyncio.sleep(0.01)
    clock.advance(seconds=LEASE + 1)
    late = asyncio.create_task(second.dispatch_once())
    if backend == "postgres":  # B runs concurrently; SQLite makes B wait for A's write lock
        async with asyncio.timeout(30):
            while len(BlockingRecord.entered) < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    BlockingRecord.release.set()
    async with asyncio.timeout(60):
        await asyncio.gather(slow, late)

    assert await effects(engine) == [event.event_id]
    assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None


async def test_failures_retry_with_backoff_and_keep_other_handlers_once(
    container, engine, clock
) -> None:
    event = event_at(clock.now())
    await stage(container, event)
    routes = [RECORD, Route(TOPIC, FailTwiceThenRecord.name, FailTwiceThenRecord)]
    dispatcher = await dispatcher_for(container, clock, routes, retry_base_seconds=10)

    assert await dispatcher.dispatch_once() == 1  # attempt 1: retry in 10 s
    clock.advance(seconds=9.9)
    assert await dispatcher.dispatch_once() == 0
    clock.advance(seconds=0.1)
    assert await dispatcher.dispatch_once() == 1  # attempt 2: retry in 20 s
    clock.advance(seconds=19.9)
    assert await dispatcher.dispatch_once() == 0
    clock.advance(seconds=0.1)
    assert await dispatcher.dispatch_once() == 1  # attempt 3 succeeds

    row = await outbox_row(engine, event.event_id)
    assert row["delivered_at"] is not None
    assert row["attempts"] == 3
    assert await effects(engine, RecordEffect.name) == [event.event_id]
    # The failing attempts' effects were rolled back with their transaction.
    assert await effects(engine, FailTwiceThenRecord.name) == [event.event_id]


async def test_after_max_attempts_the_event_is_dead_lettered(container, engine, clock) -> None:
    event = event_at(clock.now())
    await stage(container, event)
    routes = [Route(TOPIC, AlwaysFails.name, AlwaysFails)]
    dispatcher = await dispatcher_for(
        container, clock, routes, max_attempts=3, retry_base_seconds=1
    )
    before = REGISTRY.get_sample_value("hypehere_outbox_dead_letters_total", {"topic": TOPIC}) or 0

    for _ in range(3):
        assert await dispatcher.dispatch_once() == 1
        clock.advance(seconds=10)
    clock.advance(days=30)
    assert await dispatcher.drain() == 0

    row = await outbox_row(engine, event.event_id)
    assert row["dead_at"] is not None
    assert row["delivered_at"] is None
    assert row["attempts"] == 3
    assert "handler is broken" in row["last_error"]
    after = REGISTRY.get_sample_value("hypehere_outbox_dead_letters_total", {"topic": TOPIC})
    assert after == before + 1


async def test_events_without_handlers_are_acknowledged(container, engine, clock) -> None:
    event = event_at(clock.now())
    await stage(container, event)
    dispatcher = await dispatcher_for(container, clock, [])

    assert await dispatcher.drain() == 1
    assert (await outbox_row(engine, event.event_id))["delivered_at"] is not None


CRASHING_PROCESS = """
import asyncio, sys
from datetime import UTC, datetime
from hypehere.adapters.memory.clock import FixedClock
from hypehere.application.common.outbox import OutboxStore
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.settings import load_settings
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher
from tests.integration.platform.outbox_support import (
    TOPIC, HandlersProvider, HangForever, Route, event_at, stage,
)

async def main() -> None:
    settings = load_settings(database_url=sys.argv[1], embedded_worker=False, log_level="ERROR")
    container = make_container(settings, HandlersProvider(), web=False)
    clock = FixedClock(datetime.fromisoformat(sys.argv[2]))
    event = event_at(clock.now())
    await stage(container, event)
    print(f"committed {event.event_id}", flush=True)
    store = await container.get(OutboxStore)
    routes = [Route(TOPIC, "test.hang", HangForever)]
    await OutboxDispatcher(container, store, routes, clock).dispatch_once()

asyncio.run(main())
"""


async def test_an_event_committed_before_a_crash_is_delivered_after_restart(
    backend_settings: Settings, container, engine, clock
) -> None:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CRASHING_PROCESS,
        backend_settings.effective_database_url,
        clock.now().isoformat(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        async with asyncio.timeout(120):
            committed = (await process.stdout.readline()).decode()
            assert committed.startswith("committed "), await process.stderr.read()
            event_id = committed.split()[1]
            handling = (await process.stdout.readline()).decode()
        assert handling.strip() == f"handling {event_id}"  # claimed, mid-delivery
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL

    row = await outbox_row(engine, event_id)
    assert (row["delivered_at"], row["attempts"]) == (None, 1)

    clock.advance(seconds=LEASE + 1)
    restarted = await dispatcher_for(container, clock, [RECORD])
    assert await restarted.drain() == 1
    assert await effects(engine) == [event_id]
    assert (await outbox_row(engine, event_id))["delivered_at"] is not None


class _Signals(Provider):
    def __init__(self, delivered: asyncio.Event) -> None:
        super().__init__()
        self._delivered = delivered

    @provide(scope=Scope.APP)
    def delivered(self) -> asyncio.Event:
        return self._delivered


class SignalDelivery:
    def __init__(self, delivered: asyncio.Event) -> None:
        self._delivered = delivered

    async def handle(self, message: OutboxMessage) -> None:
        self._delivered.set()


async def test_embedded_worker_wakes_up_on_commit(backend_settings: Settings) -> None:
    from hypehere.bootstrap.providers.platform import OutboxProvider

    delivered = asyncio.Event()
    settings = backend_settings.model_copy(
        update={"outbox_poll_interval_seconds": 3600.0, "embedded_worker": True}
    )
    container = make_container(
        settings,
        _Signals(delivered),
        OutboxProvider([Route(TOPIC, "test.signal", SignalDelivery)]),
        web=False,
    )
    worker = EmbeddedWorker(container)
    try:
        await worker.start()
        await asyncio.sleep(0)  # the dispatcher's first (empty) poll
        await stage(container, event_at(datetime.now().astimezone()))
        # The poll interval is an hour: only the commit's wake-up can deliver in time.
        async with asyncio.timeout(15):
            await delivered.wait()
    finally:
        await worker.stop()
        await container.close()


_ = HangForever  # the subprocess imports it from outbox_support


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_batch_of_slow_events_is_never_run_twice_by_two_dispatchers(
    container: AsyncContainer, engine: AsyncEngine, clock: FixedClock
) -> None:
    """Each event takes most of a lease. Another dispatcher polling midway gets only the
    events this one has not started yet (each start renews its lease), and this one then
    skips them: every external effect happens once. Attempts count runs, not claims.
    (PostgreSQL: the second dispatcher claims while the first one's transaction is open,
    which SQLite's single writer would serialize.)"""
    events = [event_at(clock.now(), n) for n in range(3)]
    await stage(container, *events)
    route = Route(TOPIC, SlowExternalEffect.name, SlowExternalEffect)
    first = await dispatcher_for(container, clock, [route])
    second = await dispatcher_for(container, clock, [route])

    async def slow(message: OutboxMessage) -> None:
        clock.advance(seconds=LEASE * 0.7)
        if message.id == events[1].event_id:
            assert await second.dispatch_once() == 1  # only the event not started yet

    SlowExternalEffect.sent = []
    SlowExternalEffect.hooks = [slow]
    try:
        assert await first.dispatch_once() == 3
    finally:
        SlowExternalEffect.hooks = []
    assert sorted(SlowExternalEffect.sent) == sorted(e.event_id for e in events)
    for event in events:
        row = await outbox_row(engine, event.event_id)
        assert row["delivered_at"] is not None
        assert row["attempts"] == 1
