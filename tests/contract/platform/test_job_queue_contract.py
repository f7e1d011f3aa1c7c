"""One contract for the JobQueue port: the in-process queue and SAQ on Redis (with a real
SAQ worker built by `hypehere.bootstrap.worker`, as `hypehere worker` builds it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, cast

import pytest
from dishka import AsyncContainer

from hypehere.adapters.memory.jobs import InMemoryJobQueue
from hypehere.adapters.redis.jobs import SaqJobQueue, SaqRedisQueue
from hypehere.application.common.jobs import JobDefinition, JobQueue, UnknownJobError
from hypehere.bootstrap.jobs import JobRoute
from hypehere.bootstrap.providers.platform import job_function
from hypehere.bootstrap.worker import build_saq_worker
from tests.conftest import flush_redis

Drain = Callable[[], Awaitable[None]]
NO_CONTAINER = cast(AsyncContainer, None)


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], float]] = []
        self.flaky_failures = 0

    def routes(self) -> list[JobRoute]:
        async def record(_c: AsyncContainer, payload: Mapping[str, Any]) -> None:
            self.calls.append(("record", dict(payload), time.monotonic()))

        async def flaky(_c: AsyncContainer, payload: Mapping[str, Any]) -> None:
            self.calls.append(("flaky", dict(payload), time.monotonic()))
            if self.flaky_failures < 2:
                self.flaky_failures += 1
                raise RuntimeError("transient")

        async def broken(_c: AsyncContainer, payload: Mapping[str, Any]) -> None:
            self.calls.append(("broken", dict(payload), time.monotonic()))
            raise RuntimeError("always")

        return [
            JobRoute(JobDefinition("record", timeout_seconds=30), record),
            JobRoute(JobDefinition("flaky", timeout_seconds=30, retries=2), flaky),
            JobRoute(JobDefinition("broken", timeout_seconds=30, retries=1), broken),
        ]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [payload for job, payload, _ in self.calls if job == name]


class JobQueueContract:
    @pytest.fixture
    async def setup(self) -> AsyncIterator[tuple[JobQueue, Drain, Calls]]:
        """The queue, `drain()` (run everything queued, retries included, until idle), calls."""
        raise NotImplementedError
        yield

    async def test_runs_the_job_with_its_payload(self, setup) -> None:
        queue, drain, calls = setup
        await queue.enqueue("record", {"n": 1})
        await queue.enqueue("record")
        await drain()
        assert sorted(calls.of("record"), key=len) == [{}, {"n": 1}]

    async def test_a_key_dedupes_waiting_runs(self, setup) -> None:
        queue, drain, calls = setup
        await queue.enqueue("record", {"n": 1}, key="same", delay_seconds=1)
        await queue.enqueue("record", {"n": 2}, key="same", delay_seconds=1)
        await queue.enqueue("record", {"n": 3}, key="other", delay_seconds=1)
        await drain()
        assert sorted(p["n"] for p in calls.of("record")) == [1, 3]

    async def test_a_key_is_free_again_after_its_run(self, setup) -> None:
        queue, drain, calls = setup
        await queue.enqueue("record", {"n": 1}, key="k")
        await drain()
        await queue.enqueue("record", {"n": 2}, key="k")
        await drain()
        assert [p["n"] for p in calls.of("record")] == [1, 2]

    async def test_delay_defers_the_run(self, setup) -> None:
        queue, drain, calls = setup
        enqueued = time.monotonic()
        await queue.enqueue("record", {"n": 1}, delay_seconds=1)
        await drain()
        [(_, _, ran_at)] = calls.calls
        assert ran_at - enqueued >= 0.95

    async def test_a_failing_job_is_retried(self, setup) -> None:
        queue, drain, calls = setup
        await queue.enqueue("flaky", {"n": 1})
        await drain()
        assert calls.of("flaky") == [{"n": 1}] * 3

    async def test_retries_are_bounded(self, setup) -> None:
        queue, drain, calls = setup
        await queue.enqueue("broken")
        await drain()
        assert len(calls.of("broken")) == 2

    async def test_unknown_job_is_refused(self, setup) -> None:
        queue, _, _ = setup
        with pytest.raises(UnknownJobError) as info:
            await queue.enqueue("nope")
        assert info.value.known == ["broken", "flaky", "record"]


class TestInMemoryJobQueue(JobQueueContract):
    @pytest.fixture
    async def setup(self) -> AsyncIterator[tuple[JobQueue, Drain, Calls]]:
        calls = Calls()
        routes = calls.routes()
        queue = InMemoryJobQueue(
            [route.definition for route in routes],
            {route.definition.name: job_function(NO_CONTAINER, route) for route in routes},
            retry_delay_seconds=0.01,
        )

        async def drain() -> None:
            queue.start()
            await queue.join()

        try:
            yield queue, drain, calls
        finally:
            await queue.stop()


class TestSaqJobQueue(JobQueueContract):
    @pytest.fixture
    async def setup(self, redis_url: str) -> AsyncIterator[tuple[JobQueue, Drain, Calls]]:
        await flush_redis(redis_url)
        calls = Calls()
        routes = calls.routes()
        saq_queue = SaqRedisQueue.from_url(redis_url, name="contract")
        await saq_queue.connect()
        queue = SaqJobQueue(
            saq_queue, [route.definition for route in routes], retry_delay_seconds=0.01
        )

        worker = build_saq_worker(
            saq_queue,
            NO_CONTAINER,
            routes,
            concurrency=2,
            handle_signals=False,
            shutdown_grace_seconds=0,
        )
        task = asyncio.create_task(worker.start())

        async def drain() -> None:
            async with asyncio.timeout(30):
                while await saq_queue.count("incomplete"):  # noqa: ASYNC110 (polling Redis state)
                    await asyncio.sleep(0.05)

        try:
            yield queue, drain, calls
        finally:
            await worker.stop()
            await task
            await saq_queue.disconnect()

    async def test_jobs_queued_before_the_worker_starts_run_once(self, redis_url: str) -> None:
        """SAQ's start-up sweep used to retry jobs the new worker was just taking."""
        calls = Calls()
        routes = calls.routes()
        saq_queue = SaqRedisQueue.from_url(redis_url, name="contract-startup")
        await saq_queue.connect()
        queue = SaqJobQueue(saq_queue, [route.definition for route in routes])
        for n in range(20):
            await queue.enqueue("record", {"n": n})
        worker = build_saq_worker(
            saq_queue,
            NO_CONTAINER,
            routes,
            concurrency=4,
            handle_signals=False,
            shutdown_grace_seconds=0,
        )
        task = asyncio.create_task(worker.start())
        try:
            async with asyncio.timeout(30):
                while await saq_queue.count("incomplete"):  # noqa: ASYNC110 (polling Redis state)
                    await asyncio.sleep(0.05)
        finally:
            await worker.stop()
            await task
            await saq_queue.disconnect()
        assert sorted(p["n"] for p in calls.of("record")) == list(range(20))
