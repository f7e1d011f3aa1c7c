"""The after-commit actions of a unit of work, shared by its adapters (SQL and in-memory) so
both keep the same promises (see `UnitOfWork.after_commit`).

Actions registered while a transaction is open wait for its commit (dropped on rollback).
Committed actions go to ONE queue per event loop, run by one background task in order:
they keep their order across transactions and a slow broker never delays the request that
committed. The queue is bounded: past `MAX_QUEUED_ACTIONS` waiting actions (a dependency
that stopped answering while commits go on), a commit's actions are dropped, counted and
logged instead of piling up without end; and one action may run at most
`ACTION_TIMEOUT_SECONDS`, so a hung one cannot stop the queue. Every action is a best-effort
side effect (a live push, a wake-up): the committed state is in the database."""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Awaitable, Callable

import structlog

logger = structlog.get_logger(__name__)

Action = Callable[[], Awaitable[None]]

MAX_QUEUED_ACTIONS = 10_000
ACTION_TIMEOUT_SECONDS = 10.0


class _LoopQueue:
    """The committed actions of one event loop, and the task that runs them."""

    def __init__(self) -> None:
        self.actions: deque[Action] = deque()
        self.task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.timed_out = 0

    def push(self, actions: list[Action]) -> None:
        if len(self.actions) + len(actions) > MAX_QUEUED_ACTIONS:
            self.dropped += len(actions)
            logger.warning(
                "after_commit_actions_dropped",
                actions=len(actions),
                queued=len(self.actions),
                dropped_total=self.dropped,
            )
            return
        self.actions.extend(actions)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while self.actions:
                action = self.actions.popleft()
                try:
                    async with asyncio.timeout(ACTION_TIMEOUT_SECONDS):
                        await action()
                except TimeoutError:
                    self.timed_out += 1
                    logger.warning("after_commit_action_timed_out", timed_out=self.timed_out)
                except Exception:
                    logger.exception("after_commit_action_failed")
        finally:
            self.task = None


_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopQueue] = (
    weakref.WeakKeyDictionary()
)


def _queue() -> _LoopQueue:
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = _LoopQueue()
    return queue


class AfterCommitActions:
    """The actions registered in one unit of work's open transaction."""

    def __init__(self) -> None:
        self._pending: list[Action] = []

    def add(self, action: Action) -> None:
        self._pending.append(action)

    def committed(self) -> None:
        """The transaction committed: schedule its actions (in order, after earlier ones)."""
        actions, self._pending = self._pending, []
        if actions:
            _queue().push(actions)

    def rolled_back(self) -> None:
        self._pending = []


class AfterCommitStats:
    """This loop's queue, for tests and diagnostics: actions waiting, dropped (the queue
    was full) and stopped by the timeout so far."""

    def __init__(self, queued: int, dropped: int, timed_out: int) -> None:
        self.queued = queued
        self.dropped = dropped
        self.timed_out = timed_out


def after_commit_stats() -> AfterCommitStats:
    queue = _queue()
    return AfterCommitStats(len(queue.actions), queue.dropped, queue.timed_out)


async def wait_for_after_commit_actions() -> None:
    """Wait until the actions scheduled so far on this loop have run (tests, shutdown)."""
    queue = _queues.get(asyncio.get_running_loop())
    while queue is not None and queue.task is not None:
        await asyncio.gather(queue.task, return_exceptions=True)
