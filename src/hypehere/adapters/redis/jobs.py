"""JobQueue on SAQ (Redis): runs are executed by `hypehere worker` processes."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

from redis.exceptions import RedisError
from saq import Queue
from saq.queue.redis import RedisQueue
from saq.utils import now

from hypehere.application.common.errors import StorageUnavailableError
from hypehere.application.common.jobs import JobDefinition, UnknownJobError


class SaqRedisQueue(RedisQueue):
    """SAQ's Redis queue, minus one race: a worker sweeps "active" jobs not marked ACTIVE as
    soon as it starts, while its own first dequeues have moved jobs to "active" but not yet
    marked them, so those jobs were retried and ran twice. Sweeps wait `first_sweep_after`
    seconds after start-up (then run on SAQ's usual period)."""

    def __init__(self, *args: Any, first_sweep_after: float = 10.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._first_sweep_after_ms = first_sweep_after * 1000

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        if now() - self.started < self._first_sweep_after_ms:
            return []
        return await super().sweep(lock, abort)


class SaqJobQueue:
    """Enqueues SAQ jobs named after the job; the payload travels as the `payload` kwarg.

    SAQ's own uniqueness gives the `key` semantics: a job key is refused while a job with
    that key is scheduled, queued or active. `retries` maps to SAQ's attempt count + 1."""

    def __init__(
        self,
        queue: Queue,
        definitions: Sequence[JobDefinition],
        *,
        retry_delay_seconds: float = 1.0,
        retry_max_seconds: float = 300.0,
    ) -> None:
        self._queue = queue
        self._definitions = {definition.name: definition for definition in definitions}
        self._retry_delay = retry_delay_seconds
        self._retry_max = retry_max_seconds

    async def enqueue(
        self,
        name: str,
        payload: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        delay_seconds: float = 0,
    ) -> None:
        definition = self._definitions.get(name)
        if definition is None:
            raise UnknownJobError(name, list(self._definitions))
        options: dict[str, Any] = job_options(
            definition, retry_delay=self._retry_delay, retry_max=self._retry_max
        )
        if key is not None:
            options["key"] = key
        if delay_seconds > 0:
            options["scheduled"] = math.ceil(time.time() + delay_seconds)
        try:
            await self._queue.enqueue(name, payload=dict(payload or {}), **options)
        except (RedisError, OSError) as exc:
            raise StorageUnavailableError("The job queue is unavailable") from exc


def job_options(
    definition: JobDefinition, *, retry_delay: float, retry_max: float
) -> dict[str, Any]:
    """SAQ job fields for a definition (shared by enqueued and cron runs)."""
    return {
        "timeout": definition.timeout_seconds,
        "retries": definition.retries + 1,
        "retry_delay": retry_delay,
        "retry_backoff": retry_max,
    }
