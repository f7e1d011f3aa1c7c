"""One contract for `UnitOfWork` (in-memory, SQL on SQLite and on PostgreSQL): the block
commits or rolls back, only the outermost block decides, after-commit actions run once the
transaction has committed (in order, in the background, never after a rollback), and an
`autocommit()` block keeps those promises.

The SQL suites also check the data: what a rolled-back block wrote is gone, an autocommitted
statement is visible at once (PostgreSQL) and an `autocommit()` block inside an open
transaction joins it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.outbox.writer import SqlOutboxWriter
from hypehere.adapters.sql.uow import SqlUnitOfWork
from hypehere.application.common import after_commit
from hypehere.application.common.after_commit import (
    after_commit_stats,
    wait_for_after_commit_actions,
)
from hypehere.application.common.uow import UnitOfWork
from tests.conftest import truncate_all
from tests.integration.platform.outbox_support import SomethingHappened

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class Abort(Exception):
    """Raised in a block to roll it back."""


class Ran(list[str]):
    """What the after-commit actions did, in order."""

    def action(self, name: str) -> Callable[[], Awaitable[None]]:
        async def act() -> None:
            self.append(name)

        return act


class UnitOfWorkContract:
    @pytest.fixture
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        raise NotImplementedError
        yield

    async def settle(self) -> None:
        await wait_for_after_commit_actions()

    async def test_actions_run_after_the_commit_in_order(self, uow: UnitOfWork) -> None:
        ran = Ran()
        async with uow:
            uow.after_commit(ran.action("a"))
            uow.after_commit(ran.action("b"))
            await self.settle()
            assert ran == []  # not before the commit
        async with uow:
            uow.after_commit(ran.action("c"))
        await self.settle()
        assert ran == ["a", "b", "c"]

    async def test_a_rollback_drops_its_actions(self, uow: UnitOfWork) -> None:
        ran = Ran()
        with pytest.raises(Abort):
            async with uow:
                uow.after_commit(ran.action("dropped"))
                raise Abort
        async with uow:
            uow.after_commit(ran.action("kept"))
        await self.settle()
        assert ran == ["kept"]

    async def test_explicit_commit_and_rollback(self, uow: UnitOfWork) -> None:
        ran = Ran()
        async with uow:
            uow.after_commit(ran.action("committed"))
            await uow.commit()
            uow.after_commit(ran.action("rolled back"))
            await uow.rollback()
        await self.settle()
        assert ran == ["committed"]

    async def test_only_the_outermost_block_commits(self, uow: UnitOfWork) -> None:
        ran = Ran()
        async with uow:
            async with uow:  # a use case inside a caller's transaction
                uow.after_commit(ran.action("inner"))
            await self.settle()
            assert ran == []  # the inner block did not commit
            uow.after_commit(ran.action("outer"))
        await self.settle()
        assert ran == ["inner", "outer"]

    async def test_an_inner_failure_rolls_back_the_whole(self, uow: UnitOfWork) -> None:
        ran = Ran()
        with pytest.raises(Abort):
            async with uow:
                uow.after_commit(ran.action("outer"))
                async with uow:
                    uow.after_commit(ran.action("inner"))
                    raise Abort
        await self.settle()
        assert ran == []

    async def test_a_failing_action_does_not_stop_the_next(self, uow: UnitOfWork) -> None:
        ran = Ran()

        async def boom() -> None:
            raise RuntimeError("broker down")

        async with uow:
            uow.after_commit(boom)
            uow.after_commit(ran.action("fine"))
        await self.settle()
        assert ran == ["fine"]

    async def test_a_slow_action_never_delays_the_commit(self, uow: UnitOfWork) -> None:
        release = asyncio.Event()
        ran = Ran()

        async def slow() -> None:
            await release.wait()
            ran.append("slow")

        async with uow:
            uow.after_commit(slow)
        async with uow:  # the next transaction commits meanwhile; its action waits its turn
            uow.after_commit(ran.action("next"))
        assert ran == []
        release.set()
        await self.settle()
        assert ran == ["slow", "next"]

    async def test_the_queue_is_bounded_while_an_action_hangs(
        self, uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A dependency that stopped answering while commits go on: past the bound, the
        newer commits' actions are dropped and counted, never queued without end; once the
        hung action gives up (its timeout), the queue runs again."""
        monkeypatch.setattr(after_commit, "MAX_QUEUED_ACTIONS", 5)
        release = asyncio.Event()
        ran = Ran()

        async def hung() -> None:
            await release.wait()
            ran.append("hung")

        async with uow:
            uow.after_commit(hung)
        await asyncio.sleep(0)  # the runner took the hung action
        dropped_before = after_commit_stats().dropped
        for i in range(20):
            async with uow:
                uow.after_commit(ran.action(f"a{i}"))
        stats = after_commit_stats()
        assert stats.queued == 5
        assert stats.dropped - dropped_before == 15
        release.set()
        await self.settle()
        assert ran == ["hung", "a0", "a1", "a2", "a3", "a4"]
        assert after_commit_stats().queued == 0

    async def test_a_hung_action_times_out_and_the_next_runs(
        self, uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(after_commit, "ACTION_TIMEOUT_SECONDS", 0.05)
        ran = Ran()

        async def never() -> None:
            await asyncio.Event().wait()

        timed_out_before = after_commit_stats().timed_out
        async with uow:
            uow.after_commit(never)
            uow.after_commit(ran.action("next"))
        await self.settle()
        assert ran == ["next"]
        assert after_commit_stats().timed_out == timed_out_before + 1

    async def test_autocommit_blocks_keep_the_promises(self, uow: UnitOfWork) -> None:
        ran = Ran()
        async with uow.autocommit() as same:
            assert same is uow
            uow.after_commit(ran.action("a"))
        with pytest.raises(Abort):
            async with uow.autocommit():
                uow.after_commit(ran.action("dropped"))
                raise Abort
        async with uow:
            async with uow.autocommit():  # inside an open transaction: joins it
                uow.after_commit(ran.action("b"))
            await self.settle()
            assert ran == ["a"]
        await self.settle()
        assert ran == ["a", "b"]


@pytest.mark.unit
class TestInMemoryUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        yield InMemoryUnitOfWork()

    async def test_it_counts_commits_rollbacks_and_autocommit_blocks(self) -> None:
        uow = InMemoryUnitOfWork()
        async with uow.autocommit(), uow:
            pass
        with pytest.raises(Abort):
            async with uow:
                raise Abort
        assert (uow.commits, uow.rollbacks, uow.autocommits) == (1, 1, 1)


class SqlUnitOfWorkContract(UnitOfWorkContract):
    """The SQL unit of work, plus what the database shows (rows staged in `outbox_events`
    through `SqlOutboxWriter`, whose dispatcher wake-up is an after-commit action)."""

    url_fixture = ""
    can_autocommit = False

    @pytest.fixture
    async def factory(
        self, request: pytest.FixtureRequest
    ) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        try:
            yield create_session_factory(engine)
        finally:
            await engine.dispose()

    @pytest.fixture
    async def uow(self, factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[UnitOfWork]:
        async with factory() as session:
            yield SqlUnitOfWork(session, can_autocommit=self.can_autocommit)

    @staticmethod
    async def staged(factory: async_sessionmaker[AsyncSession]) -> int:
        """Events another session sees."""
        async with factory() as session:
            return int(await session.scalar(text("SELECT count(*) FROM outbox_events")) or 0)

    async def test_the_data_commits_or_rolls_back_with_the_block(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        woken: list[str] = []
        async with factory() as session:
            uow = SqlUnitOfWork(session, can_autocommit=self.can_autocommit)
            writer = SqlOutboxWriter(session, uow, on_commit=lambda: woken.append("wake"))
            with pytest.raises(Abort):
                async with uow:
                    await writer.add(SomethingHappened(occurred_at=NOW, n=1))
                    raise Abort
            await self.settle()
            assert (await self.staged(factory), woken) == (0, [])
            async with uow:
                await writer.add(SomethingHappened(occurred_at=NOW, n=2))
                await session.flush()
                if self.can_autocommit:  # (SQLite: another writer would wait for the lock)
                    assert await self.staged(factory) == 0  # not before the commit
            await self.settle()
            assert (await self.staged(factory), woken) == (1, ["wake"])

    async def test_an_autocommit_block_inside_a_transaction_joins_it(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        async with factory() as session:
            uow = SqlUnitOfWork(session, can_autocommit=self.can_autocommit)
            with pytest.raises(Abort):
                async with uow:
                    async with uow.autocommit():
                        await SqlOutboxWriter(session, uow).add(
                            SomethingHappened(occurred_at=NOW, n=1)
                        )
                        await session.flush()
                    raise Abort
        assert await self.staged(factory) == 0


@pytest.mark.integration
class TestSqliteUnitOfWork(SqlUnitOfWorkContract):
    url_fixture = "sqlite_url"

    async def test_autocommit_is_an_ordinary_transaction_here(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        # SQLite keeps its transaction (BEGIN IMMEDIATE serializes the writers).
        async with factory() as session:
            uow = SqlUnitOfWork(session, can_autocommit=False)
            with pytest.raises(Abort):
                async with uow.autocommit():
                    assert not uow.autocommitting
                    await SqlOutboxWriter(session, uow).add(SomethingHappened(occurred_at=NOW, n=1))
                    await session.flush()
                    raise Abort
        assert await self.staged(factory) == 0


@pytest.mark.integration
class TestPostgresUnitOfWork(SqlUnitOfWorkContract):
    url_fixture = "postgres_url"
    can_autocommit = True

    async def test_an_autocommitted_statement_commits_on_its_own(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> None:
        ran = Ran()
        insert = text(
            "INSERT INTO outbox_events (id, topic, payload, occurred_at, available_at, attempts)"
            " VALUES (:id, 't', '{}', :now, :now, 0)"
        )
        async with factory() as session:
            uow = SqlUnitOfWork(session, can_autocommit=True)
            with pytest.raises(Abort):
                async with uow.autocommit():
                    assert uow.autocommitting
                    await session.execute(insert, {"id": "e-1", "now": NOW})
                    assert await self.staged(factory) == 1  # visible before the block ends
                    uow.after_commit(ran.action("dropped"))
                    raise Abort  # the rollback cannot take it back
            async with uow.autocommit():
                await session.execute(insert, {"id": "e-2", "now": NOW})
                await uow.release_connection()  # what ran is committed: the connection goes
                assert not uow.autocommitting
                await session.execute(insert, {"id": "e-3", "now": NOW})  # a transaction
                uow.after_commit(ran.action("kept"))
            await self.settle()
        assert await self.staged(factory) == 3
        assert ran == ["kept"]
