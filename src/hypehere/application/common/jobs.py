"""Background jobs: a queue for one-off work and a scheduler for periodic work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import msgspec

JobFunction = Callable[[dict[str, Any]], Awaitable[None]]


class UnknownJobError(LookupError):
    """No job is registered under this name."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown job {name!r}; known jobs: {', '.join(sorted(known))}")
        self.name = name
        self.known = sorted(known)


class JobDefinition(msgspec.Struct, frozen=True):
    """A named job; `cron` (crontab in UTC: 5 fields, or 6 with seconds last) makes it
    periodic. A failing run is tried again up to `retries` more times, with backoff."""

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
        """Queue a run of job `name` (UnknownJobError if none is registered).

        A `key` deduplicates: while a run with that key is waiting or running, enqueueing
        the same key again does nothing."""
        ...
