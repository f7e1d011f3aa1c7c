"""`settle_heap` in a fresh interpreter (freezing is process-wide, so not in this one)."""

from __future__ import annotations

import subprocess
import sys

from hypehere.bootstrap.gc_tuning import THRESHOLDS


def test_settle_heap_freezes_the_startup_heap_and_raises_thresholds() -> None:
    code = (
        "import gc\n"
        "from hypehere.bootstrap.gc_tuning import settle_heap\n"
        "assert gc.get_freeze_count() == 0\n"
        "settle_heap()\n"
        "print(gc.get_freeze_count(), *gc.get_threshold())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    frozen, *thresholds = (int(x) for x in out[-4:])
    assert frozen > 1000  # the imported modules at least
    assert tuple(thresholds) == THRESHOLDS != (700, 10, 10)


def test_collections_at_or_over_the_threshold_are_logged_once_per_watcher() -> None:
    code = (
        "import gc, structlog\n"
        "from structlog.testing import capture_logs\n"
        "from hypehere.bootstrap.gc_tuning import watch_slow_collections\n"
        "gc.disable()\n"  # only the collection below runs
        "watch_slow_collections(threshold_ms=0)\n"
        "watch_slow_collections(threshold_ms=0)\n"  # a second call adds no second watcher
        "with capture_logs() as logs:\n"
        "    gc.collect(1)\n"
        "slow = [e for e in logs if e['event'] == 'gc_slow_collection']\n"
        "e = slow[0]\n"
        "print('RESULT', len(slow), e['generation'], e['log_level'], e['ms'] >= 0)\n"
    )
    assert _result(code) == ["1", "1", "warning", "True"]


def test_fast_collections_are_not_logged() -> None:
    code = (
        "import gc\n"
        "from structlog.testing import capture_logs\n"
        "from hypehere.bootstrap.gc_tuning import watch_slow_collections\n"
        "watch_slow_collections(threshold_ms=60_000)\n"
        "with capture_logs() as logs:\n"
        "    gc.collect()\n"
        "print('RESULT', len(logs))\n"
    )
    assert _result(code) == ["0"]


def _result(code: str) -> list[str]:
    """The words after RESULT in what `code` printed in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return line.split()[1:]
