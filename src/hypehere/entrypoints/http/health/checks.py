"""Dependency checks for readiness: each is a named coroutine returning nothing or raising."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

Check = Callable[[], Awaitable[object]]


class ReadinessProbe:
    def __init__(self, checks: dict[str, Check], timeout_seconds: float = 2.0) -> None:
        self._checks = checks
        self._timeout = timeout_seconds

    async def run(self) -> dict[str, dict[str, Any]]:
        results = await asyncio.gather(*(self._one(check) for check in self._checks.values()))
        return dict(zip(self._checks, results, strict=True))

    async def _one(self, check: Check) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(check(), self._timeout)
        except Exception as exc:
            return {"ok": False, "error": type(exc).__name__}
        return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
