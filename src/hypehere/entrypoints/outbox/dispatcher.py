"""Delivers outbox events to the handlers registered for their topic, at least once.

For each (event, handler) the dispatcher opens a dishka REQUEST scope and, in ONE
transaction, checks the handler's `HandledEvents` record, runs the handler (its own
`async with uow:` joins the transaction: the unit of work is re-entrant) and records it.
A redelivered event therefore never repeats an effect that committed. A handler whose
effect is itself keyed by the event (`dedups_by_event = True` on its class: a unique key or
a lookup refuses a second effect for the same event id) runs without that record: one read
and one row per event fewer, the same exactly-once effect. An event is
acknowledged when every handler has succeeded; a failure schedules a retry with
exponential backoff, and after `max_attempts` the event is dead-lettered (logged at error
and counted in `hypehere_outbox_dead_letters_total`).

A claimed batch is leased for `outbox_lease_seconds`, but each event (or each run of events
a batch handler takes at once) is `start`ed right before it runs: its lease is renewed from
then and its attempt counted. A batch of slow events therefore never outlives its lease,
and an event whose lease did run out and that another dispatcher claimed is skipped here
rather than run twice. Attempts count runs, not claims.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

import structlog
from dishka import AsyncContainer
from prometheus_client import Counter, Histogram

from hypehere.application.common.outbox import (
    HandledEvents,
    OutboxHandler,
    OutboxMessage,
    OutboxStore,
)
from hypehere.application.common.uow import UnitOfWork
from hypehere.domain.shared.clock import Clock

log = structlog.get_logger(__name__)

DELIVERED = Counter("hypehere_outbox_delivered_total", "Outbox events acknowledged", ["topic"])
# Outbox lag: from the event's commit (`occurred_at`) to its acknowledged delivery.
LAG_SECONDS = Histogram(
    "hypehere_outbox_lag_seconds",
    "Seconds from an outbox event's commit to its delivery",
    ["topic"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
HANDLER_FAILURES = Counter(
    "hypehere_outbox_handler_failures_total", "Outbox handler runs that failed", ["handler"]
)
DEAD_LETTERS = Counter(
    "hypehere_outbox_dead_letters_total", "Outbox events given up after max attempts", ["topic"]
)
HANDLER_SECONDS = Histogram(
    "hypehere_outbox_handler_seconds", "Time to run one outbox handler", ["handler"]
)


class HandlerRoute(Protocol):
    """One subscription: `handler_type` (resolved from the container) handles `topic`.
    `handler_name` keys the idempotency ledger: never rename a deployed handler."""

    @property
    def topic(self) -> str: ...

    @property
    def handler_name(self) -> str: ...

    @property
    def handler_type(self) -> type[OutboxHandler]: ...


def _runs(messages: Sequence[OutboxMessage]) -> list[list[OutboxMessage]]:
    """Split into runs of consecutive events with the same topic (order kept)."""
    runs: list[list[OutboxMessage]] = []
    for message in messages:
        if runs and runs[-1][0].topic == message.topic:
            runs[-1].append(message)
        else:
            runs.append([message])
    return runs


def _keeps_ledger(route: HandlerRoute) -> bool:
    """False for a handler that refuses a second effect for the same event by itself."""
    return not getattr(route.handler_type, "dedups_by_event", False)


class OutboxWakeup:
    """Set after a commit that staged outbox events; the dispatcher waits on it between
    polls, so in-process delivery starts right away."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()

    async def wait_up_to(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()


class OutboxDispatcher:
    def __init__(
        self,
        container: AsyncContainer,
        store: OutboxStore,
        routes: Sequence[HandlerRoute],
        clock: Clock,
        *,
        batch_size: int = 100,
        max_attempts: int = 10,
        retry_base_seconds: float = 2.0,
        retry_max_seconds: float = 3600.0,
        poll_interval_seconds: float = 0.1,
        wakeup: OutboxWakeup | None = None,
    ) -> None:
        self._container = container
        self._store = store
        self._clock = clock
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._poll_interval = poll_interval_seconds
        self._wakeup = wakeup or OutboxWakeup()
        self._routes: dict[str, list[HandlerRoute]] = defaultdict(list)
        names: set[str] = set()
        for route in routes:
            if route.handler_name in names:
                raise ValueError(f"duplicate outbox handler name {route.handler_name!r}")
            names.add(route.handler_name)
            self._routes[route.topic].append(route)

    def retry_delay(self, attempts: int) -> timedelta:
        """Backoff after the `attempts`-th failed delivery: base * 2^(attempts-1), capped."""
        seconds = min(self._retry_base * 2 ** max(attempts - 1, 0), self._retry_max)
        return timedelta(seconds=seconds)

    async def dispatch_once(self) -> int:
        """Claim one batch of due events and deliver it; returns how many were claimed.

        Consecutive events of one topic form a run: a handler with `handle_batch` gets the
        whole run in one transaction (the others, and a failed batch's events, one by one),
        so events keep their order across topics. Each run is started (leases renewed,
        attempts counted) right before it runs, and its delivered events are acknowledged
        in one statement right after; failures are recorded per event."""
        messages = await self._store.fetch_pending(self._batch_size, self._clock.now())
        for claimed in self._runs(messages):
            run = list(await self._store.start(claimed, self._clock.now()))
            if len(run) < len(claimed):
                self._log_taken_over(claimed, run)
            if not run:
                continue
            failures: dict[str, list[str]] = {}
            held = {m.id: m for m in run}  # still ours: id -> its latest lease
            for route in self._routes.get(run[0].topic, ()):
                await self._run_route(route, run, failures, held)
            # The run's outcome is recorded before the next run starts: a delivered event
            # must not sit unacknowledged while its lease runs out behind slow successors.
            await self._record([m for m in run if m.id in held], failures)
        return len(messages)

    async def _record(self, ran: list[OutboxMessage], failures: dict[str, list[str]]) -> None:
        delivered = [m.id for m in ran if m.id not in failures]
        if delivered:
            try:
                await self._store.mark_delivered_many(delivered, self._clock.now())
            except Exception:
                # Recording the outcome failed; the leases expire and the events come back
                # (their handlers' ledger records keep the effects from repeating).
                log.exception("outbox_ack_failed", events=len(delivered))
            else:
                acknowledged_at = self._clock.now()
                for message in ran:
                    if message.id not in failures:
                        DELIVERED.labels(message.topic).inc()
                        lag = (acknowledged_at - message.occurred_at).total_seconds()
                        LAG_SECONDS.labels(message.topic).observe(max(lag, 0.0))
        for message in ran:
            if message.id in failures:
                try:
                    await self._record_failure(message, failures[message.id])
                except Exception:
                    log.exception("outbox_ack_failed", event_id=message.id, topic=message.topic)

    def _runs(self, messages: Sequence[OutboxMessage]) -> list[list[OutboxMessage]]:
        """Runs of one topic that every handler of the topic takes at once; one event per
        run otherwise (each is then started, so leased, right before it runs)."""
        runs: list[list[OutboxMessage]] = []
        for run in _runs(messages):
            routes = self._routes.get(run[0].topic, ())
            if routes and all(hasattr(r.handler_type, "handle_batch") for r in routes):
                runs.append(run)
            else:
                runs.extend([message] for message in run)
        return runs

    def _log_taken_over(
        self, claimed: Sequence[OutboxMessage], started: Sequence[OutboxMessage]
    ) -> None:
        kept = {m.id for m in started}
        for message in claimed:
            if message.id not in kept:
                log.warning("outbox_event_taken_over", event_id=message.id, topic=message.topic)

    async def _run_route(
        self,
        route: HandlerRoute,
        run: Sequence[OutboxMessage],
        failures: dict[str, list[str]],
        held: dict[str, OutboxMessage],
    ) -> None:
        if len(run) > 1 and hasattr(route.handler_type, "handle_batch"):
            try:
                await self._run_batch(route, run)
                return
            except Exception:
                log.warning(
                    "outbox_batch_failed",
                    topic=route.topic,
                    handler=route.handler_name,
                    events=len(run),
                    exc_info=True,
                )
        for message in run:
            current = held.get(message.id)
            if current is None:
                continue
            if len(run) > 1:
                # One by one after a failed batch: renew each lease again (same attempt).
                renewed = await self._store.start([current], self._clock.now(), count_attempt=False)
                if not renewed:
                    del held[message.id]
                    self._log_taken_over([message], [])
                    continue
                held[message.id] = renewed[0]
            try:
                await self._run_handler(route, message)
            except Exception as exc:
                HANDLER_FAILURES.labels(route.handler_name).inc()
                failures.setdefault(message.id, []).append(f"{route.handler_name}: {exc!r}")
                log.warning(
                    "outbox_handler_failed",
                    event_id=message.id,
                    topic=message.topic,
                    handler=route.handler_name,
                    attempts=message.attempts,
                    exc_info=True,
                )

    async def _run_batch(self, route: HandlerRoute, run: Sequence[OutboxMessage]) -> None:
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(topic=route.topic, handler=route.handler_name):
            async with self._container() as request:
                uow = await request.get(UnitOfWork)
                handled = await request.get(HandledEvents)
                async with uow:
                    ledger = _keeps_ledger(route)
                    done: set[str] = set()
                    if ledger:
                        done = await handled.handled_among(route.handler_name, [m.id for m in run])
                    todo = [m for m in run if m.id not in done]
                    if todo:
                        handler = await request.get(route.handler_type)
                        await handler.handle_batch(todo)  # type: ignore[attr-defined]
                        if ledger:
                            await handled.mark_handled_many(
                                route.handler_name, [m.id for m in todo], self._clock.now()
                            )
        elapsed = time.perf_counter() - started
        HANDLER_SECONDS.labels(route.handler_name).observe(elapsed)
        log.info(
            "outbox_batch_handled",
            topic=route.topic,
            handler=route.handler_name,
            events=len(run),
            skipped=len(run) - len(todo),
            duration_ms=round(elapsed * 1000, 1),
        )

    async def drain(self) -> int:
        """Deliver until nothing is due (events that fail are pushed into the future, so
        this ends); returns how many deliveries were attempted."""
        total = 0
        while claimed := await self.dispatch_once():
            total += claimed
        return total

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver continuously until `stop` is set; a commit's wake-up cuts the poll short."""
        log.info("outbox_dispatcher_started", topics=sorted(self._routes))
        failures = 0
        while not stop.is_set():
            try:
                claimed = await self.dispatch_once()
                failures = 0
            except Exception:
                # The store is unreachable: back off (up to a minute) instead of spinning.
                failures += 1
                log.exception("outbox_dispatch_failed", consecutive_failures=failures)
                claimed = 0
            if claimed < self._batch_size:
                await self._wait(stop, min(self._poll_interval * 2**failures, 60.0))
        log.info("outbox_dispatcher_stopped")

    async def _wait(self, stop: asyncio.Event, seconds: float) -> None:
        stopped = asyncio.ensure_future(stop.wait())
        woken = asyncio.ensure_future(self._wakeup.wait_up_to(seconds))
        try:
            await asyncio.wait({stopped, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stopped, woken):
                task.cancel()
            await asyncio.gather(stopped, woken, return_exceptions=True)

    async def _record_failure(self, message: OutboxMessage, failures: list[str]) -> None:
        now = self._clock.now()
        error = "; ".join(failures)[:4000]
        if message.attempts >= self._max_attempts:
            await self._store.mark_dead(message.id, error, now)
            DEAD_LETTERS.labels(message.topic).inc()
            log.error(
                "outbox_event_dead_lettered",
                event_id=message.id,
                topic=message.topic,
                attempts=message.attempts,
                error=error,
            )
            return
        retry_at = now + self.retry_delay(message.attempts)
        await self._store.mark_failed(message.id, error, retry_at)
        log.info(
            "outbox_event_retry_scheduled",
            event_id=message.id,
            topic=message.topic,
            attempts=message.attempts,
            retry_at=retry_at.isoformat(),
        )

    async def _run_handler(self, route: HandlerRoute, message: OutboxMessage) -> None:
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(
            event_id=message.id, topic=message.topic, handler=route.handler_name
        ):
            await self._run_in_transaction(route, message)
        elapsed = time.perf_counter() - started
        HANDLER_SECONDS.labels(route.handler_name).observe(elapsed)
        log.info(
            "outbox_event_handled",
            event_id=message.id,
            topic=message.topic,
            handler=route.handler_name,
            duration_ms=round(elapsed * 1000, 1),
        )

    async def _run_in_transaction(self, route: HandlerRoute, message: OutboxMessage) -> None:
        async with self._container() as request:
            uow = await request.get(UnitOfWork)
            handled = await request.get(HandledEvents)
            ledger = _keeps_ledger(route)
            async with uow:
                if ledger and await handled.is_handled(route.handler_name, message.id):
                    log.info(
                        "outbox_handler_skipped_already_handled",
                        event_id=message.id,
                        handler=route.handler_name,
                    )
                    return
                handler = await request.get(route.handler_type)
                await handler.handle(message)
                if ledger:
                    await handled.mark_handled(route.handler_name, message.id, self._clock.now())
