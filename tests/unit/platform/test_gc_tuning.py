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
