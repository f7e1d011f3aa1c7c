"""Background jobs: a queue for one-off work and a scheduler for periodic work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import msgspec

JobFunction = Callable[[dict[str, Any]], Awaitable[None]]


class JobDefinition(msgspec.Struct, frozen=True):
    """A named job; `cron` (5-field crontab, UTC) makes it periodic."""

    name: str
    cron: str | None = None
    timeout_seconds: int = 300
    retries: int = 3


class JobQueue(Protocol):
    async def enqueue(
        self,
        name: str,
        payload: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        delay_seconds: float = 0,
    ) -> None:
        """Queue a run of job `name`. A `key` deduplicates: one pending run per key."""
        ...
