"""A witness of the machine's own pauses: a process that does nothing but sleep 5 ms over
and over (at the highest priority it may take) and counts how late it wakes up.

It uses no CPU to speak of, so the scheduler wakes it at once whenever a core is free: a
wake-up 50 ms late means the whole machine stopped (a virtual machine paused by its host) or
every core was taken that long. Latency a benchmark measures in the same window includes
these pauses; the figures say which part is the machine's.

    python -m bench.pause_probe SECONDS   # prints one JSON line when done
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field

PERIOD_SECONDS = 0.005
LATE_MS = (20.0, 50.0, 100.0)


@dataclass
class Pauses:
    """What the probe saw: the longest late wake-up and how many were at least 20/50/100 ms
    late, and (seconds into the window, ms) of the longest ones."""

    max_ms: float = 0.0
    late: dict[str, int] = field(default_factory=dict)
    worst: list[tuple[float, float]] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f">={name} ms: {count}" for name, count in self.late.items())
        spots = ", ".join(f"{ms:.0f} ms at {at:.2f} s" for at, ms in self.worst)
        return f"machine pauses: max {self.max_ms:.0f} ms ({counts}){'; ' + spots if spots else ''}"


def watch(seconds: float) -> Pauses:
    lates: list[tuple[float, float]] = []
    start = time.perf_counter()
    end = start + seconds
    while (before := time.perf_counter()) < end:
        time.sleep(PERIOD_SECONDS)
        late_ms = (time.perf_counter() - before - PERIOD_SECONDS) * 1000
        if late_ms >= min(LATE_MS):
            lates.append((before - start, late_ms))
    return Pauses(
        max_ms=max((ms for _, ms in lates), default=0.0),
        late={f"{bound:.0f}": sum(1 for _, ms in lates if ms >= bound) for bound in LATE_MS},
        worst=sorted(sorted(lates, key=lambda item: -item[1])[:3]),
    )


def _highest_priority() -> None:
    # Not allowed (not root)? A normal-priority sleeper is still a fair witness.
    with contextlib.suppress(OSError):
        os.nice(-20)


class PauseProbe:
    """The probe in its own process, beside an asyncio load generator: `await start(s)` when
    the window opens, `await result()` once it is over (it waits for the window's end)."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None

    async def start(self, seconds: float) -> None:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.pause_probe",
            str(seconds),
            stdout=asyncio.subprocess.PIPE,
            preexec_fn=_highest_priority,
        )
        # The interpreter's start-up (a burst of CPU) is over before the window opens.
        assert self._process.stdout is not None
        await self._process.stdout.readline()

    async def result(self) -> Pauses:
        if self._process is None:
            raise RuntimeError("the probe was not started")
        out, _ = await self._process.communicate()
        data = json.loads(out.decode().strip().splitlines()[-1])
        return Pauses(
            max_ms=data["max_ms"],
            late=data["late"],
            worst=[(at, ms) for at, ms in data["worst"]],
        )


def main(argv: list[str]) -> int:
    print("ready", flush=True)
    pauses = watch(float(argv[0]))
    print(json.dumps({"max_ms": pauses.max_ms, "late": pauses.late, "worst": pauses.worst}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
