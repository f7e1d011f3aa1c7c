"""The event-loop watchdog logs a stall when a callback holds the loop, and only then."""

from __future__ import annotations

import asyncio
import time

import pytest
import structlog
from structlog.testing import capture_logs

from hypehere.bootstrap import loop_watch
from hypehere.bootstrap.loop_watch import LoopWatch


@pytest.fixture(autouse=True)
def fresh_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loggers are cached on first use (production logging config): a fresh one, first used
    inside `capture_logs`, reports to it whatever other tests logged before."""
    monkeypatch.setattr(loop_watch, "logger", structlog.get_logger(loop_watch.__name__))


async def test_a_callback_that_blocks_the_loop_is_logged_as_a_stall() -> None:
    watch = LoopWatch(threshold_ms=30, period_seconds=0.005)
    with capture_logs() as logs:
        watch.start()
        await asyncio.sleep(0.02)  # the watchdog is sleeping
        time.sleep(0.12)  # noqa: ASYNC251 - holds the loop on purpose: the watchdog wakes late
        await asyncio.sleep(0.02)
        await watch.stop()
    stalls = [e for e in logs if e["event"] == "event_loop_stall"]
    assert len(stalls) == watch.stalls == 1
    assert stalls[0]["log_level"] == "warning"
    assert stalls[0]["ms"] >= 60
    # the stall names what held the loop: this test's blocking call
    assert any("test_a_callback_that_blocks_the_loop" in frame for frame in stalls[0]["frames"])


async def test_a_loop_that_keeps_yielding_logs_nothing() -> None:
    watch = LoopWatch(threshold_ms=1_000, period_seconds=0.005)
    with capture_logs() as logs:
        watch.start()
        for _ in range(10):
            await asyncio.sleep(0.003)
        await watch.stop()
    assert [e for e in logs if e["event"] == "event_loop_stall"] == []


async def test_threshold_zero_turns_the_watchdog_off() -> None:
    watch = LoopWatch(threshold_ms=0)
    watch.start()
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "event-loop-watch"]
    await watch.stop()
