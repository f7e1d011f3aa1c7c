"""Runs one job: binds `job` and `run_id` in the log context, logs the duration, counts
the outcome. Used by the SAQ worker, the in-process scheduler and `hypehere jobs run`."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from dishka import AsyncContainer
from prometheus_client import Counter, Histogram

from hypehere.domain.shared.ids import new_id

log = structlog.get_logger(__name__)

JobEntrypoint = Callable[[AsyncContainer, Mapping[str, Any]], Awaitable[None]]
"""A job's thin entry point: `async def run(container, payload)`; it opens a REQUEST scope
(`async with container() as request:`), resolves one use case and calls it."""

JOB_RUNS = Counter("hypehere_job_runs_total", "Job runs by outcome", ["job", "outcome"])
JOB_SECONDS = Histogram("hypehere_job_seconds", "Job run duration", ["job"])


async def run_job(
    container: AsyncContainer,
    name: str,
    entrypoint: JobEntrypoint,
    payload: Mapping[str, Any] | None = None,
    *,
    attempt: int = 1,
) -> None:
    """Run `entrypoint` once; exceptions propagate (the caller decides about retries)."""
    run_id = new_id()
    started = time.perf_counter()
    with structlog.contextvars.bound_contextvars(job=name, run_id=run_id):
        log.info("job_started", attempt=attempt)
        try:
            await entrypoint(container, payload or {})
        except BaseException as exc:
            elapsed = time.perf_counter() - started
            JOB_RUNS.labels(name, "failed").inc()
            JOB_SECONDS.labels(name).observe(elapsed)
            log.error(
                "job_failed",
                attempt=attempt,
                duration_ms=round(elapsed * 1000, 1),
                error=repr(exc),
                exc_info=isinstance(exc, Exception),
            )
            raise
        elapsed = time.perf_counter() - started
        JOB_RUNS.labels(name, "succeeded").inc()
        JOB_SECONDS.labels(name).observe(elapsed)
        log.info("job_finished", attempt=attempt, duration_ms=round(elapsed * 1000, 1))
