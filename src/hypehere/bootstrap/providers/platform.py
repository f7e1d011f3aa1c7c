"""Outbox delivery and background jobs: stores, dispatcher, job queue (SAQ or in-process)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from dishka import AsyncContainer, Provider, Scope, provide
from saq import Queue
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.memory.jobs import InMemoryJobQueue
from hypehere.adapters.redis.jobs import SaqJobQueue, SaqRedisQueue
from hypehere.adapters.sql.outbox.store import SqlHandledEvents, SqlOutboxStore
from hypehere.adapters.sql.retention import SqlRetentionStore
from hypehere.application.common.jobs import JobFunction, JobQueue
from hypehere.application.common.outbox import HandledEvents, OutboxStore
from hypehere.application.common.retention import (
    PruneExpiredRecords,
    RetentionPolicy,
    RetentionStore,
)
from hypehere.bootstrap.jobs import JobRoute, job_routes
from hypehere.bootstrap.outbox_routes import OUTBOX_ROUTES, OutboxRoute
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock
from hypehere.entrypoints.jobs.runner import run_job
from hypehere.entrypoints.outbox.dispatcher import OutboxDispatcher, OutboxWakeup

SAQ_QUEUE_NAME = "hypehere"


class OutboxProvider(Provider):
    def __init__(self, routes: Sequence[OutboxRoute] = OUTBOX_ROUTES) -> None:
        super().__init__()
        self._routes = list(routes)
        for handler_type in dict.fromkeys(route.handler_type for route in self._routes):
            self.provide(handler_type, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def wakeup(self) -> OutboxWakeup:
        return OutboxWakeup()

    @provide(scope=Scope.APP)
    def store(self, factory: async_sessionmaker[AsyncSession], settings: Settings) -> OutboxStore:
        return SqlOutboxStore(factory, lease_seconds=settings.outbox_lease_seconds)

    @provide(scope=Scope.REQUEST)
    def handled_events(self, session: AsyncSession) -> HandledEvents:
        return SqlHandledEvents(session)

    @provide(scope=Scope.REQUEST)
    def retention_store(self, session: AsyncSession) -> RetentionStore:
        return SqlRetentionStore(session)

    @provide(scope=Scope.APP)
    def retention_policy(self, settings: Settings) -> RetentionPolicy:
        return RetentionPolicy(
            delivered_events_days=settings.retention_outbox_days,
            impressions_days=settings.retention_impressions_days,
            read_notifications_days=settings.retention_read_notifications_days,
            refresh_tokens_days=settings.retention_refresh_tokens_days,
            activity_events_days=settings.retention_activity_events_days,
        )

    prune_expired = provide(PruneExpiredRecords, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def dispatcher(
        self,
        container: AsyncContainer,
        store: OutboxStore,
        clock: Clock,
        settings: Settings,
        wakeup: OutboxWakeup,
    ) -> OutboxDispatcher:
        return OutboxDispatcher(
            container,
            store,
            self._routes,
            clock,
            batch_size=settings.outbox_batch_size,
            max_attempts=settings.outbox_max_attempts,
            retry_base_seconds=settings.outbox_retry_base_seconds,
            poll_interval_seconds=settings.outbox_poll_interval_seconds,
            wakeup=wakeup,
        )


def job_function(container: AsyncContainer, route: JobRoute) -> JobFunction:
    """The callable the in-process queue runs for `route` (logs and metrics included)."""

    async def run(payload: dict[str, object]) -> None:
        await run_job(container, route.definition.name, route.entrypoint, payload)

    return run


class EmbeddedJobsProvider(Provider):
    """Jobs run inside this process (started by the app's lifespan or `hypehere worker`)."""

    @provide(scope=Scope.APP)
    async def in_memory_queue(self, container: AsyncContainer) -> AsyncIterator[InMemoryJobQueue]:
        routes = job_routes()
        queue = InMemoryJobQueue(
            [route.definition for route in routes.values()],
            {name: job_function(container, route) for name, route in routes.items()},
        )
        yield queue
        await queue.stop()

    @provide(scope=Scope.APP)
    def job_queue(self, queue: InMemoryJobQueue) -> JobQueue:
        return queue


class SaqJobsProvider(Provider):
    """Jobs go to Redis; `hypehere worker` processes run them."""

    @provide(scope=Scope.APP)
    async def saq_queue(self, settings: Settings) -> AsyncIterator[Queue]:
        assert settings.redis_url is not None
        queue = SaqRedisQueue.from_url(settings.redis_url, name=SAQ_QUEUE_NAME)
        await queue.connect()
        yield queue
        await queue.disconnect()

    @provide(scope=Scope.APP)
    def job_queue(self, queue: Queue) -> JobQueue:
        return SaqJobQueue(queue, [route.definition for route in job_routes().values()])


def platform_providers(settings: Settings) -> list[Provider]:
    jobs: Provider = (
        SaqJobsProvider()
        if settings.redis_url is not None and not settings.runs_embedded_worker
        else EmbeddedJobsProvider()
    )
    return [OutboxProvider(), jobs]
