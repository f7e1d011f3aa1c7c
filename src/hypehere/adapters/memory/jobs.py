"""In-process job queue and cron scheduler (asyncio + croniter): the embedded default.

Runs wait until `start()`; `stop()` cancels what is left. Semantics match the SAQ adapter:
a `key` dedupes while its run waits or runs, a failing run is retried `retries` times with
exponential backoff, and a cron schedule enqueues one run per tick (key `cron:<name>`,
payload `{"tick": <RFC 3339 time of the tick>}`), skipping a tick while the previous run
is still going."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from croniter import croniter

from hypehere.application.common.jobs import JobDefinition, JobFunction, UnknownJobError

log = structlog.get_logger(__name__)


@dataclass(slots=True, eq=False)  # identity: runs live in a set
class _Run:
    name: str
    payload: dict[str, Any]
    key: str | None
    delay_seconds: float
    task: asyncio.Task[None] | None = field(default=None)


class InMemoryJobQueue:
    def __init__(
        self,
        definitions: Sequence[JobDefinition],
        functions: Mapping[str, JobFunction],
        *,
        retry_delay_seconds: float = 1.0,
        retry_max_seconds: float = 300.0,
    ) -> None:
        self._definitions = {definition.name: definition for definition in definitions}
        missing = set(self._definitions) - set(functions)
        if missing:
            raise ValueError(f"no function for jobs {sorted(missing)}")
        self._functions = dict(functions)
        self._retry_delay = retry_delay_seconds
        self._retry_max = retry_max_seconds
        self._runs: set[_Run] = set()
        self._keys: set[str] = set()
        self._cron_tasks: list[asyncio.Task[None]] = []
        self._started = False

    async def enqueue(
        self,
        name: str,
        payload: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        delay_seconds: float = 0,
    ) -> None:
        if name not in self._definitions:
            raise UnknownJobError(name, list(self._definitions))
        if key is not None:
            if key in self._keys:
                return
            self._keys.add(key)
        run = _Run(name, dict(payload or {}), key, max(delay_seconds, 0.0))
        self._runs.add(run)
        if self._started:
            self._launch(run)

    def start(self, *, cron: bool = True) -> None:
        """Start running queued work, and the cron schedules unless `cron` is false."""
        if not self._started:
            self._started = True
            for run in list(self._runs):
                self._launch(run)
        if cron:
            self.start_cron()

    def start_cron(self) -> None:
        """Start the cron schedules (once)."""
        if self._cron_tasks:
            return
        for definition in self._definitions.values():
            if definition.cron:
                self._cron_tasks.append(
                    asyncio.create_task(self._schedule(definition), name=f"cron:{definition.name}")
                )

    async def stop(self) -> None:
        """Cancel cron schedules and unfinished runs, and wait for them to end."""
        self._started = False
        tasks = [*self._cron_tasks, *(run.task for run in self._runs if run.task is not None)]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._cron_tasks.clear()
        for run in list(self._runs):
            run.task = None

    async def join(self) -> None:
        """Wait until no run is waiting or running (runs enqueued meanwhile included)."""
        while tasks := [run.task for run in self._runs if run.task is not None]:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _launch(self, run: _Run) -> None:
        run.task = asyncio.create_task(self._execute(run), name=f"job:{run.name}")

    async def _execute(self, run: _Run) -> None:
        definition = self._definitions[run.name]
        try:
            if run.delay_seconds:
                await asyncio.sleep(run.delay_seconds)
            attempts = definition.retries + 1
            for attempt in range(1, attempts + 1):
                try:
                    await self._functions[run.name](run.payload)
                    return
                except Exception:
                    if attempt == attempts:
                        log.error("job_gave_up", job=run.name, attempts=attempt)
                        return
                    delay = min(self._retry_delay * 2 ** (attempt - 1), self._retry_max)
                    log.info("job_retry_scheduled", job=run.name, attempt=attempt, delay=delay)
                    await asyncio.sleep(delay)
        finally:
            self._runs.discard(run)
            if run.key is not None:
                self._keys.discard(run.key)

    async def _schedule(self, definition: JobDefinition) -> None:
        assert definition.cron is not None
        ticks = croniter(definition.cron, datetime.now(UTC))
        while True:
            tick: datetime = ticks.get_next(datetime)
            delay = (tick - datetime.now(UTC)).total_seconds()
            if delay > 0:
                await asyncio.sleep(delay)
            await self.enqueue(
                definition.name, {"tick": tick.isoformat()}, key=f"cron:{definition.name}"
            )
