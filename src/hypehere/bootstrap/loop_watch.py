"""A watchdog on the server process's own event loop.

Everything a process serves shares one loop: while a callback runs without yielding (a slow
synchronous call, a long garbage collection, the process descheduled by an overloaded
host), every socket and request of that process waits. The watchdog sleeps a short period
over and over and logs `event_loop_stall` (warning) when it wakes up at least `threshold_ms`
late, so an operator can tell a stalled process from a slow database or network.

The line carries `frames`: what the loop's thread was running while it was late. A daemon
thread checks the loop's heartbeat a few times per period and, once the loop is
`threshold_ms` overdue, takes one sample of the loop thread's stack (`sys._current_frames`)
that the stall line then reports (innermost frames last; `[]` when the loop came back
before the sampler looked, e.g. a host that did not schedule the process at all).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
import traceback

import structlog

logger = structlog.get_logger(__name__)

PERIOD_SECONDS = 0.05
STACK_FRAMES = 12  # innermost frames kept in a stall's `frames`


class LoopWatch:
    def __init__(self, threshold_ms: float, period_seconds: float = PERIOD_SECONDS) -> None:
        self.threshold_ms = threshold_ms
        self.period_seconds = period_seconds
        self.stalls = 0
        self._task: asyncio.Task[None] | None = None
        self._sampler: threading.Thread | None = None
        self._stopping = threading.Event()
        self._loop_thread = 0
        self._due = float("inf")  # when the watch task should wake up next
        self._stack: list[str] = []  # sampled during the current (late) sleep

    def start(self) -> None:
        if self._task is None and self.threshold_ms > 0:
            self._loop_thread = threading.get_ident()
            self._stopping.clear()
            self._task = asyncio.create_task(self._watch(), name="event-loop-watch")
            self._sampler = threading.Thread(
                target=self._sample, name="event-loop-stall-sampler", daemon=True
            )
            self._sampler.start()

    async def stop(self) -> None:
        task, self._task = self._task, None
        self._stopping.set()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        sampler, self._sampler = self._sampler, None
        if sampler is not None:
            sampler.join(timeout=1.0)

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            self._stack = []
            self._due = before + self.period_seconds
            await asyncio.sleep(self.period_seconds)
            late_ms = (time.perf_counter() - before - self.period_seconds) * 1000
            self._due = float("inf")
            if late_ms >= self.threshold_ms:
                self.stalls += 1
                # not `stack`: structlog's console renderer takes that key for a formatted string
                logger.warning("event_loop_stall", ms=round(late_ms, 1), frames=self._stack)

    def _sample(self) -> None:
        """Sampler thread: one stack per stall, taken once the loop is `threshold_ms` late."""
        interval = min(self.period_seconds, self.threshold_ms / 1000) / 2
        while not self._stopping.wait(interval):
            due = self._due
            if self._stack or (time.perf_counter() - due) * 1000 < self.threshold_ms:
                continue
            frame = sys._current_frames().get(self._loop_thread)
            if frame is not None and due == self._due:
                summary = traceback.extract_stack(frame)[-STACK_FRAMES:]
                self._stack = [f"{f.filename}:{f.lineno} {f.name}" for f in summary]
