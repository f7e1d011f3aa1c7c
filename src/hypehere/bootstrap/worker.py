"""Background work at runtime: the SAQ worker (`hypehere worker` with Redis), the embedded
in-process scheduler + outbox dispatcher (the server without Redis, or `hypehere worker`
without Redis), and one-off runs (`hypehere jobs run NAME`)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import sys
import time
from collections.abc import Coroutine, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from dishka import AsyncContainer
from prometheus_client import start_http_server
from redis.asyncio import Redis
from saq import CronJob, Queue, Worker

from hypehere.adapters.memory.jobs import InMemoryJobQueue
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.jobs import JobRoute, job_routes
from hypehere.bootstrap.settings import Settings
from hypehere.entrypoints.jobs.runner import run_job
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher

log = structlog.get_logger(__name__)

CRON_DONE_TTL_SECONDS = 86_400


class DispatcherLoop:
    """Runs `OutboxDispatcher.run` as a task until `stop()`."""

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self._dispatcher = dispatcher
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self._dispatcher.run(self._stop), name="outbox")

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Let the current delivery finish (up to `grace_seconds`), then cancel it; an
        interrupted delivery rolls back and is redelivered when its lease ends."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, grace_seconds)
            except TimeoutError:
                log.warning("outbox_dispatcher_cancelled", grace_seconds=grace_seconds)
            self._task = None


class SchedulerLock:
    """An exclusive lock file (flock): among the processes sharing a var_dir (e.g.
    `hypehere serve --workers 4` without Redis), only the holder runs the cron schedules.
    The kernel drops the lock when its process dies."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class EmbeddedWorker:
    """In-process scheduler and outbox dispatcher, started and stopped with the app.

    Every process runs the dispatcher (claims are leased, so that is safe) and its own
    queued jobs; the cron schedules run in the one process holding the scheduler lock."""

    LOCK_RETRY_SECONDS = 10.0

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._queue: InMemoryJobQueue | None = None
        self._loop: DispatcherLoop | None = None
        self._lock: SchedulerLock | None = None
        self._lock_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        settings = await self._container.get(Settings)
        self._queue = await self._container.get(InMemoryJobQueue)
        self._queue.start(cron=False)
        self._lock = SchedulerLock(settings.var_dir / "scheduler.lock")
        self._lock_task = asyncio.create_task(self._schedule_when_leader(), name="scheduler-lock")
        self._loop = DispatcherLoop(await self._container.get(OutboxDispatcher))
        self._loop.start()
        log.info("embedded_worker_started")

    async def _schedule_when_leader(self) -> None:
        assert self._lock is not None and self._queue is not None
        while not self._lock.try_acquire():  # noqa: ASYNC110 (polling a file lock)
            await asyncio.sleep(self.LOCK_RETRY_SECONDS)
        log.info("embedded_scheduler_started")
        self._queue.start_cron()

    async def stop(self) -> None:
        if self._lock_task is not None:
            self._lock_task.cancel()
            await asyncio.gather(self._lock_task, return_exceptions=True)
        if self._loop is not None:
            await self._loop.stop()
        if self._queue is not None:
            await self._queue.stop()
        if self._lock is not None:
            self._lock.release()
        log.info("embedded_worker_stopped")


def saq_function(container: AsyncContainer, route: JobRoute, redis: Redis) -> Any:
    """The SAQ task for a job route, named after the job.

    A cron run records its tick in Redis when it succeeds and skips a tick already done: SAQ's
    unique cron key keeps two workers from queueing the same tick while it waits or runs; the
    marker also covers a late enqueue of a tick that has just finished."""
    name = route.definition.name

    async def task(ctx: Mapping[str, Any], *, payload: dict[str, Any] | None = None) -> None:
        job = ctx["job"]
        done_key: str | None = None
        if job.key == f"cron:{name}" and job.scheduled:
            tick = datetime.fromtimestamp(job.scheduled, UTC)
            payload = {**(payload or {}), "tick": tick.isoformat()}
            done_key = f"hypehere:cron-done:{name}:{job.scheduled}"
            if await redis.exists(done_key):
                log.info("cron_tick_already_done", job=name, tick=tick.isoformat())
                return
        await run_job(container, name, route.entrypoint, payload, attempt=job.attempts)
        if done_key is not None:
            await redis.set(done_key, "1", ex=CRON_DONE_TTL_SECONDS)

    task.__qualname__ = task.__name__ = name
    return task


class _Worker(Worker[Any]):
    """SAQ's stop waits its grace period for every task, idle upkeep loops included, so each
    stop took the whole period: wait only while jobs are running, then cancel the rest."""

    async def stop(self) -> None:
        self.event.set()
        grace = self._shutdown_grace_period_s or 0
        deadline = time.monotonic() + grace
        while self.job_task_contexts and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        self._shutdown_grace_period_s = 0
        await super().stop()


def build_saq_worker(
    queue: Queue,
    container: AsyncContainer,
    routes: Sequence[JobRoute],
    *,
    concurrency: int = 10,
    handle_signals: bool = True,
    shutdown_grace_seconds: int = 10,
) -> Worker[Any]:
    """A SAQ worker for the job routes (as `hypehere worker` runs it). On stop, running
    jobs get up to `shutdown_grace_seconds` to finish; then they are cancelled and retried."""
    redis: Redis = queue.redis  # type: ignore[attr-defined]
    functions = {route.definition.name: saq_function(container, route, redis) for route in routes}
    cron_jobs = [
        CronJob(
            functions[route.definition.name],
            cron=route.definition.cron,
            unique=True,
            timeout=route.definition.timeout_seconds,
            retries=route.definition.retries + 1,
        )
        for route in routes
        if route.definition.cron
    ]
    worker = _Worker(
        queue,
        functions=list(functions.items()),
        cron_jobs=cron_jobs,
        concurrency=concurrency,
        # Idle dequeues return every second instead of blocking until a job arrives.
        dequeue_timeout=1.0,
        shutdown_grace_period_s=shutdown_grace_seconds,
    )
    if not handle_signals:
        worker.SIGNALS = []
    return worker


def _worker_settings(settings: Settings) -> Settings:
    # This process is the worker: jobs come from Redis, not from an in-process queue.
    return settings.model_copy(update={"embedded_worker": False, "process_role": "worker"})


def _job_settings(settings: Settings) -> Settings:
    # A one-off job (`hypehere jobs run`): its own, longer statement timeout.
    return settings.model_copy(update={"embedded_worker": False, "process_role": "jobs"})


async def run_saq_worker(settings: Settings) -> None:
    container = make_container(_worker_settings(settings), web=False)
    try:
        queue = await container.get(Queue)
        worker = build_saq_worker(
            queue, container, list(job_routes().values()), concurrency=settings.worker_concurrency
        )
        dispatcher = DispatcherLoop(await container.get(OutboxDispatcher))
        dispatcher.start()
        log.info("worker_started", jobs=sorted(worker.functions), queue=queue.name)
        try:
            await worker.start()
        finally:
            await dispatcher.stop()
            log.info("worker_stopped")
    finally:
        await container.close()


async def run_embedded_in_foreground(settings: Settings) -> None:
    container = make_container(settings.model_copy(update={"process_role": "worker"}), web=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    embedded = EmbeddedWorker(container)
    try:
        await embedded.start()
        await stop.wait()
    finally:
        await embedded.stop()
        await container.close()


def worker_main(settings: Settings) -> int:
    """`hypehere worker`: SAQ on Redis when configured, else the in-process scheduler."""
    if settings.worker_metrics_port is not None:
        # The worker serves no HTTP; job and outbox metrics (dead letters...) are here.
        start_http_server(settings.worker_metrics_port, addr=settings.host)
        log.info("worker_metrics_serving", port=settings.worker_metrics_port)
    if settings.redis_url is not None:
        _run(run_saq_worker(settings))
    else:
        log.info("worker_embedded_mode", reason="HYPEHERE_REDIS_URL is not set")
        _run(run_embedded_in_foreground(settings))
    return 0


def _run(main: Coroutine[Any, Any, None]) -> None:
    """On uvloop where it is installed (uvicorn's `standard` extra brings it on Linux), as
    the server runs: a busy worker's time goes mostly to socket writes (Redis, PostgreSQL),
    which uvloop does in C; else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)


async def run_job_once(settings: Settings, name: str) -> int:
    routes = job_routes()
    route = routes.get(name)
    if route is None:
        print(f"unknown job {name!r}; known jobs: {', '.join(sorted(routes))}", file=sys.stderr)
        return 2
    container = make_container(_job_settings(settings), web=False)
    try:
        await run_job(container, name, route.entrypoint, {})
    except Exception as exc:
        print(f"job {name!r} failed: {exc!r}", file=sys.stderr)
        return 1
    finally:
        with contextlib.suppress(Exception):
            await container.close()
    return 0
