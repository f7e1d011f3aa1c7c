"""The after-commit actions of a unit of work, shared by its adapters (SQL and in-memory) so
both keep the same promises (see `UnitOfWork.after_commit`).

Actions registered while a transaction is open wait for its commit (dropped on rollback).
Committed actions run in a background task chained per event loop: they keep their order
across transactions and a slow broker never delays the request that committed."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable

import structlog

logger = structlog.get_logger(__name__)

Action = Callable[[], Awaitable[None]]

_tails: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[None]] = (
    weakref.WeakKeyDictionary()
)
_running: set[asyncio.Task[None]] = set()


def _run_in_order(actions: list[Action]) -> None:
    loop = asyncio.get_running_loop()
    previous = _tails.get(loop)

    async def run() -> None:
        if previous is not None and not previous.done():
            await asyncio.gather(previous, return_exceptions=True)
        for action in actions:
            try:
                await action()
            except Exception:
                logger.exception("after_commit_action_failed")

    task = loop.create_task(run())
    _tails[loop] = task
    _running.add(task)
    task.add_done_callback(_running.discard)


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
            _run_in_order(actions)

    def rolled_back(self) -> None:
        self._pending = []


async def wait_for_after_commit_actions() -> None:
    """Wait until the actions scheduled so far on this loop have run (tests, shutdown)."""
    tail = _tails.get(asyncio.get_running_loop())
    if tail is not None:
        await asyncio.gather(tail, return_exceptions=True)
