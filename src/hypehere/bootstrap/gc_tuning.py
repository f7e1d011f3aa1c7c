"""Garbage-collector settings for long-running server processes.

CPython's full (generation 2) collection walks every tracked object in the heap. In a server
process that heap is mostly long-lived: imported modules, the app, SQLAlchemy's compiled
statements, the ranking model, the feed's candidate pools. Measured on the feed benchmark,
full collections took 130-180 ms every 10-15 s and were the requests' p99. So, once the
process has started: collect, then `gc.freeze()` what is left (the startup heap is never
scanned again), and run collections less often (a request allocates thousands of
short-lived objects; with CPython's default thresholds, (700, 10, 10), a busy process runs a
young collection every few requests and a full one every few seconds).
"""

from __future__ import annotations

import gc
import time

import structlog

logger = structlog.get_logger(__name__)

# (young, middle, old): CPython's default is (700, 10, 10).
THRESHOLDS = (5_000, 20, 20)
# A collection that stops the process this long is logged (it delays every request and
# socket the process is serving at that moment).
SLOW_COLLECTION_MS = 20.0


def settle_heap() -> None:
    """Call once the process has finished starting (the app and its container are built)."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    watch_slow_collections()
    logger.info(
        "gc_heap_frozen",
        frozen_objects=gc.get_freeze_count(),
        thresholds=THRESHOLDS,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )


class _SlowCollectionLog:
    def __init__(self, threshold_ms: float) -> None:
        self.threshold_ms = threshold_ms
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        ms = (time.perf_counter() - self._started) * 1000
        if ms >= self.threshold_ms:
            logger.warning(
                "gc_slow_collection",
                generation=info.get("generation"),
                ms=round(ms, 1),
                collected=info.get("collected"),
            )


def watch_slow_collections(threshold_ms: float = SLOW_COLLECTION_MS) -> None:
    """Log every collection that takes `threshold_ms` or more (once per process)."""
    if not any(isinstance(cb, _SlowCollectionLog) for cb in gc.callbacks):
        gc.callbacks.append(_SlowCollectionLog(threshold_ms))
