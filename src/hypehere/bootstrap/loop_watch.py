"""A watchdog on the server process's own event loop.

Everything a process serves shares one loop: while a callback runs without yielding (a slow
synchronous call, a long garbage collection, the process descheduled by an overloaded
host), every socket and request of that process waits. The watchdog sleeps a short period
over and over and logs `event_loop_stall` (warning) when it wakes up at least `threshold_ms`
late, so an operator can tell a stalled process from a slow database or network.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog

logger = structlog.get_logger(__name__)

PERIOD_SECONDS = 0.05


class LoopWatch:
    def __init__(self, threshold_ms: float, period_seconds: float = PERIOD_SECONDS) -> None:
        self.threshold_ms = threshold_ms
        self.period_seconds = period_seconds
        self.stalls = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self.threshold_ms > 0:
            self._task = asyncio.create_task(self._watch(), name="event-loop-watch")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.period_seconds)
            late_ms = (time.perf_counter() - before - self.period_seconds) * 1000
            if late_ms >= self.threshold_ms:
                self.stalls += 1
                logger.warning("event_loop_stall", ms=round(late_ms, 1))
