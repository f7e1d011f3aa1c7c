"""The in-process scheduler (embedded mode) runs cron jobs once per tick, with the tick."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hypehere.adapters.memory.jobs import InMemoryJobQueue
from hypehere.application.common.jobs import JobDefinition
from hypehere.bootstrap.worker import SchedulerLock

pytestmark = pytest.mark.integration


async def test_cron_runs_once_per_tick_and_skips_ticks_while_running() -> None:
    ticks: list[str] = []
    two_ran = asyncio.Event()
    release = asyncio.Event()

    async def every_second(payload: dict[str, Any]) -> None:
        ticks.append(payload["tick"])
        if len(ticks) == 2:
            two_ran.set()
            await release.wait()  # a long run: the following ticks must not start another

    queue = InMemoryJobQueue(
        [JobDefinition("every-second", cron="* * * * * *")], {"every-second": every_second}
    )
    queue.start()
    try:
        async with asyncio.timeout(20):
            await two_ran.wait()
        await asyncio.sleep(2.5)  # ticks pass while run 2 is still going
        assert len(ticks) == 2
        release.set()
    finally:
        await queue.stop()

    first, second = (datetime.fromisoformat(tick) for tick in ticks)
    assert first.utcoffset() is not None
    assert (second - first).total_seconds() >= 1


def test_only_one_process_holds_the_scheduler_lock(tmp_path: Path) -> None:
    first, second = SchedulerLock(tmp_path / "s.lock"), SchedulerLock(tmp_path / "s.lock")

    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()
