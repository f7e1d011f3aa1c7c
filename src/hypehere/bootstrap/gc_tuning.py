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


def settle_heap() -> None:
    """Call once the process has finished starting (the app and its container are built)."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    logger.info(
        "gc_heap_frozen",
        frozen_objects=gc.get_freeze_count(),
        thresholds=THRESHOLDS,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
