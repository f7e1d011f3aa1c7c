"""Databases, clocks, readiness: the pieces every module shares."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from dishka import Provider, Scope, from_context, provide
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.cache import InMemoryCache
from hypehere.adapters.memory.rate_limit import InMemoryRateLimiter
from hypehere.adapters.redis.broker import RedisBroker
from hypehere.adapters.redis.cache import RedisCache
from hypehere.adapters.redis.rate_limit import RedisRateLimiter
from hypehere.adapters.sql.engine import (
    DatabaseTimeouts,
    ReadAdmission,
    ReadEngine,
    ReadSession,
    create_engine,
    create_session_factory,
)
from hypehere.adapters.sql.outbox.writer import SqlOutboxWriter
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.common.broker import Broker
from hypehere.application.common.cache import Cache
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.rate_limit import RateLimiter
from hypehere.application.common.uow import UnitOfWork
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock, SystemClock
from hypehere.entrypoints.http.health.checks import Check, ReadinessProbe
from hypehere.entrypoints.outbox.dispatcher import OutboxWakeup


def database_timeouts(settings: Settings) -> DatabaseTimeouts:
    """The statement timeout of this process's role of work, and the keepalives."""
    return DatabaseTimeouts(
        statement_seconds=settings.statement_timeout_seconds,
        keepalive_idle_seconds=settings.database_keepalive_idle_seconds,
    )


class DatabaseProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(
            settings.effective_database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            ping_after_idle_seconds=settings.database_ping_after_idle_seconds,
            timeouts=database_timeouts(settings),
        )
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def session_factory(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_factory(engine)

    @provide(scope=Scope.REQUEST)
    async def session(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[AsyncSession]:
        async with factory() as session:
            yield session

    @provide(scope=Scope.APP)
    async def read_engine(
        self, settings: Settings, engine: AsyncEngine
    ) -> AsyncIterator[ReadEngine]:
        if engine.dialect.name != "postgresql":
            yield ReadEngine(engine)
            return
        reads = create_engine(
            settings.effective_database_url,
            pool_size=settings.database_read_pool_size,
            max_overflow=0,
            ping_after_idle_seconds=settings.database_ping_after_idle_seconds,
            timeouts=database_timeouts(settings),
            for_reads=True,
        )
        yield ReadEngine(reads)
        await reads.dispose()

    @provide(scope=Scope.APP)
    def read_admission(self, settings: Settings) -> ReadAdmission:
        # A page holds a read connection for about a millisecond: a few connections serve
        # hundreds of pages a second, and each one fewer is a PostgreSQL backend fewer
        # taking turns on the cores (bench timeline, Redis timelines, 50 clients: 0.28-0.33
        # ms of PostgreSQL CPU a page with 5 read connections, 0.38-0.44 with 25).
        return ReadAdmission(asyncio.Semaphore(settings.database_read_pool_size))

    @provide(scope=Scope.REQUEST)
    async def read_session(
        self,
        engine: ReadEngine,
        admission: ReadAdmission,
        factory: async_sessionmaker[AsyncSession],
        session: AsyncSession,
    ) -> AsyncIterator[ReadSession]:
        if engine.dialect.name != "postgresql":
            yield ReadSession(session)  # SQLite: the request's own session
            return
        async with admission, factory(bind=engine) as reads:
            yield ReadSession(reads)

    @provide(scope=Scope.REQUEST)
    def uow(self, session: AsyncSession, engine: AsyncEngine) -> SqlUnitOfWork:
        # Autocommitted blocks (the chat send path) on PostgreSQL; SQLite keeps its
        # transaction (BEGIN IMMEDIATE serializes the writers).
        return SqlUnitOfWork(session, can_autocommit=engine.dialect.name == "postgresql")

    @provide(scope=Scope.REQUEST)
    def uow_port(self, uow: SqlUnitOfWork) -> UnitOfWork:
        return uow

    @provide(scope=Scope.REQUEST)
    def outbox_writer(
        self, session: AsyncSession, uow: SqlUnitOfWork, wakeup: OutboxWakeup
    ) -> OutboxWriter:
        return SqlOutboxWriter(session, uow, on_commit=wakeup.notify)


class ClockProvider(Provider):
    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return SystemClock()


class ExtraReadinessChecks(dict[str, Check]):
    """Readiness checks beyond the database, contributed by the optional backing services."""


class HealthProvider(Provider):
    @provide(scope=Scope.APP)
    def readiness(self, engine: AsyncEngine, extra: ExtraReadinessChecks) -> ReadinessProbe:
        async def database() -> None:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        checks: dict[str, Check] = {"database": database, **extra}
        return ReadinessProbe(checks)


def create_redis_client(url: str) -> Redis:
    """The process's Redis client: short connect timeout, a couple of quick retries so a
    pooled connection killed by a Redis restart is replaced transparently."""
    client: Redis = Redis.from_url(
        url,
        socket_connect_timeout=2.0,
        socket_keepalive=True,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
    return client


def broker_channel_prefix(client: Redis) -> str:
    """Pub/sub ignores the database number; put it in the channel names instead."""
    db = client.connection_pool.connection_kwargs.get("db", 0)
    return f"hypehere:{db}:"


class RedisProvider(Provider):
    """Wired when HYPEHERE_REDIS_URL is set: ONE shared `redis.asyncio.Redis` client for the
    process (closed on shutdown), the Redis pub/sub Broker, the Redis Cache, and a readiness
    check that pings Redis."""

    @provide(scope=Scope.APP)
    async def redis(self, settings: Settings) -> AsyncIterator[Redis]:
        assert settings.redis_url is not None
        client = create_redis_client(settings.redis_url)
        yield client
        await client.aclose()

    @provide(scope=Scope.APP)
    async def broker(self, redis: Redis) -> AsyncIterator[Broker]:
        broker = RedisBroker(redis, prefix=broker_channel_prefix(redis))
        yield broker
        await broker.aclose()

    @provide(scope=Scope.APP)
    def cache(self, redis: Redis) -> Cache:
        return RedisCache(redis, prefix="hypehere:cache:")

    @provide(scope=Scope.APP)
    def rate_limiter(self, redis: Redis, settings: Settings) -> RateLimiter:
        return RedisRateLimiter(
            redis,
            prefix="hypehere:ratelimit:",
            timeout_seconds=settings.rate_limit_redis_timeout_seconds,
        )

    @provide(scope=Scope.APP)
    def readiness_checks(self, redis: Redis) -> ExtraReadinessChecks:
        async def ping() -> None:
            await redis.ping()

        return ExtraReadinessChecks(redis=ping)


class EmbeddedProvider(Provider):
    """Wired when Redis is not configured: in-process Broker and Cache (one process only)."""

    @provide(scope=Scope.APP)
    def broker(self) -> Broker:
        return InMemoryBroker()

    @provide(scope=Scope.APP)
    def cache(self, clock: Clock) -> Cache:
        return InMemoryCache(clock)

    @provide(scope=Scope.APP)
    def rate_limiter(self) -> RateLimiter:
        return InMemoryRateLimiter()

    @provide(scope=Scope.APP)
    def readiness_checks(self) -> ExtraReadinessChecks:
        return ExtraReadinessChecks()


def broker_cache_providers(settings: Settings) -> list[Provider]:
    """Settings pick the adapters: Redis when HYPEHERE_REDIS_URL is set, else in-process."""
    return [RedisProvider() if settings.redis_url else EmbeddedProvider()]
