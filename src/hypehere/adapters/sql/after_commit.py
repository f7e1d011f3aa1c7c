"""Run actions after the session's transaction commits (SQLAlchemy session events).

Actions registered while a transaction is open run once it commits (dropped on rollback).
They run in a background task chained per event loop, so pushes keep their order across
transactions and a slow broker never delays the request that committed."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

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


class SqlAfterCommit:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._pending: list[Action] = []
        self._listening = False

    def call(self, action: Action) -> None:
        if not self._listening:
            sync_session = self._session.sync_session
            event.listen(sync_session, "after_commit", self._committed)
            event.listen(sync_session, "after_rollback", self._rolled_back)
            self._listening = True
        self._pending.append(action)

    def _committed(self, _session: Any) -> None:
        actions, self._pending = self._pending, []
        if actions:
            _run_in_order(actions)

    def _rolled_back(self, _session: Any) -> None:
        self._pending = []


async def wait_for_after_commit_actions() -> None:
    """Wait until the actions scheduled so far on this loop have run (tests, shutdown)."""
    tail = _tails.get(asyncio.get_running_loop())
    if tail is not None:
        await asyncio.gather(tail, return_exceptions=True)
