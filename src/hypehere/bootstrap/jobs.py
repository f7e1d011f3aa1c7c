"""The job registry: every background job, used by the SAQ worker (`hypehere worker`),
the in-process scheduler (embedded mode) and `hypehere jobs run NAME`.

To add a job, append one row and write one thin entry point:

    # src/hypehere/entrypoints/jobs/lift_suspensions.py
    async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
        async with container() as request:
            use_case = await request.get(LiftSuspensions)
            await use_case.execute(LiftSuspensionsCommand())

    # here
    JobRoute(JobDefinition("lift-suspensions", cron="* * * * *"), lift_suspensions.run),

`cron` is a crontab in UTC (5 fields, or 6 with seconds last); without it the job runs only
when enqueued (`JobQueue.enqueue(name, payload)`) or with `hypehere jobs run NAME`. A cron run
gets `payload["tick"]`, the RFC 3339 time of its tick, and runs once per tick however many
workers share the Redis. `timeout_seconds` and `retries` are in `JobDefinition`.
Names are the ones API.md lists under "Jobs".
"""

from __future__ import annotations

from typing import NamedTuple

from hypehere.application.common.jobs import JobDefinition
from hypehere.entrypoints.jobs import analytics_rollup as analytics_rollup_job
from hypehere.entrypoints.jobs import anonymous_cleanup as anonymous_cleanup_job
from hypehere.entrypoints.jobs import daily_insights as daily_insights_job
from hypehere.entrypoints.jobs import lift_suspensions as lift_suspensions_job
from hypehere.entrypoints.jobs import matching_expiry as matching_expiry_job
from hypehere.entrypoints.jobs import moderation_scan as moderation_scan_job
from hypehere.entrypoints.jobs import purge_deleted_accounts as purge_deleted_accounts_job
from hypehere.entrypoints.jobs import retention_cleanup as retention_cleanup_job
from hypehere.entrypoints.jobs import search_reindex, search_sync
from hypehere.entrypoints.jobs import train_ranker as train_ranker_job
from hypehere.entrypoints.jobs import trending as trending_job
from hypehere.entrypoints.jobs.runner import JobEntrypoint


class JobRoute(NamedTuple):
    definition: JobDefinition
    entrypoint: JobEntrypoint


JOBS: list[JobRoute] = [
    # The worker also runs the outbox dispatcher continuously; this drains it once.
    JobRoute(JobDefinition("search-sync", timeout_seconds=600, retries=0), search_sync.run),
    # Not scheduled: `hypehere jobs run search-reindex` rebuilds the index from the rows.
    JobRoute(JobDefinition("search-reindex", timeout_seconds=3600, retries=0), search_reindex.run),
    JobRoute(JobDefinition("trending", cron="*/5 * * * *", timeout_seconds=120), trending_job.run),
    JobRoute(
        JobDefinition("lift-suspensions", cron="* * * * *", timeout_seconds=60),
        lift_suspensions_job.run,
    ),
    JobRoute(
        JobDefinition("moderation-scan", cron="*/5 * * * *", timeout_seconds=300),
        moderation_scan_job.run,
    ),
    JobRoute(
        JobDefinition("matching-expiry", cron="* * * * *", timeout_seconds=60),
        matching_expiry_job.run,
    ),
    JobRoute(
        JobDefinition("anonymous-cleanup", cron="* * * * *", timeout_seconds=60),
        anonymous_cleanup_job.run,
    ),
    JobRoute(
        JobDefinition("purge-deleted-accounts", cron="30 3 * * *", timeout_seconds=1800),
        purge_deleted_accounts_job.run,
    ),
    # Daily at 00:10 UTC: yesterday's aggregates (the visitor counts live two days).
    JobRoute(
        JobDefinition("analytics-rollup", cron="10 0 * * *", timeout_seconds=600),
        analytics_rollup_job.run,
    ),
    # Daily at 00:40 UTC, after the rollup: the staff summary of yesterday's aggregates.
    JobRoute(
        JobDefinition("daily-insights", cron="40 0 * * *", timeout_seconds=300),
        daily_insights_job.run,
    ),
    # Daily at 03:45 UTC, in batches of short transactions (see application/common/retention).
    JobRoute(
        JobDefinition("retention-cleanup", cron="45 3 * * *", timeout_seconds=3600),
        retention_cleanup_job.run,
    ),
    # Daily at 04:30 UTC: `python -m ml.train` in a subprocess writes a new model into
    # ranker_model_dir; servers swap it in within ranker_reload_interval_seconds.
    JobRoute(
        JobDefinition("train-ranker", cron="30 4 * * *", timeout_seconds=3600, retries=1),
        train_ranker_job.run,
    ),
]


def job_routes() -> dict[str, JobRoute]:
    """The registry by name (a duplicate name is a programming error)."""
    routes: dict[str, JobRoute] = {}
    for route in JOBS:
        if route.definition.name in routes:
            raise ValueError(f"job {route.definition.name!r} is registered twice")
        routes[route.definition.name] = route
    return routes
