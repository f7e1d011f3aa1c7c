"""Databases, clocks, readiness: the pieces every module shares."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, from_context, provide
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.outbox_writer import SqlOutboxWriter
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.bootstrap.settings import Settings
from hypehere.domain.shared.clock import Clock, SystemClock
from hypehere.entrypoints.http.health.checks import Check, ReadinessProbe


class DatabaseProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(
            settings.effective_database_url, pool_size=settings.database_pool_size
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

    @provide(scope=Scope.REQUEST)
    def uow(self, session: AsyncSession) -> SqlUnitOfWork:
        return SqlUnitOfWork(session)

    @provide(scope=Scope.REQUEST)
    def uow_port(self, uow: SqlUnitOfWork) -> UnitOfWork:
        return uow

    @provide(scope=Scope.REQUEST)
    def outbox_writer(self, session: AsyncSession) -> OutboxWriter:
        return SqlOutboxWriter(session)


class ClockProvider(Provider):
    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return SystemClock()


class HealthProvider(Provider):
    @provide(scope=Scope.APP)
    def readiness(self, engine: AsyncEngine) -> ReadinessProbe:
        async def database() -> None:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

        checks: dict[str, Check] = {"database": database}
        return ReadinessProbe(checks)
