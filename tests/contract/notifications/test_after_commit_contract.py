"""One contract for AfterCommit (in-memory and SQL session events on SQLite/PostgreSQL):
actions run after the commit, in registration order, and never after a rollback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import text

from hypehere.adapters.memory.notifications import InMemoryAfterCommit
from hypehere.adapters.sql.after_commit import SqlAfterCommit, wait_for_after_commit_actions
from hypehere.adapters.sql.engine import create_engine, create_session_factory


class Harness:
    hook: InMemoryAfterCommit | SqlAfterCommit
    begin: Callable[[], Awaitable[None]]
    commit: Callable[[], Awaitable[None]]
    rollback: Callable[[], Awaitable[None]]
    settle: Callable[[], Awaitable[None]]


class AfterCommitContract:
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        raise NotImplementedError
        yield

    async def test_actions_run_after_commit_in_order(self, h: Harness) -> None:
        ran: list[str] = []

        def record(name: str) -> Callable[[], Awaitable[None]]:
            async def action() -> None:
                ran.append(name)

            return action

        await h.begin()
        h.hook.call(record("a"))
        h.hook.call(record("b"))
        await h.settle()
        assert ran == []
        await h.commit()
        await h.begin()
        h.hook.call(record("c"))
        await h.commit()
        await h.settle()
        assert ran == ["a", "b", "c"]

    async def test_rollback_drops_actions(self, h: Harness) -> None:
        ran: list[str] = []

        async def action() -> None:
            ran.append("x")

        await h.begin()
        h.hook.call(action)
        await h.rollback()
        await h.begin()
        await h.commit()
        await h.settle()
        assert ran == []

    async def test_a_failing_action_does_not_stop_the_next(self, h: Harness) -> None:
        ran: list[str] = []

        async def boom() -> None:
            raise RuntimeError("broker down")

        async def fine() -> None:
            ran.append("fine")

        await h.begin()
        h.hook.call(boom)
        h.hook.call(fine)
        await h.commit()
        await h.settle()
        assert ran == ["fine"]


@pytest.mark.unit
class TestInMemoryAfterCommit(AfterCommitContract):
    @pytest.fixture
    async def h(self) -> AsyncIterator[Harness]:
        hook = InMemoryAfterCommit()
        harness = Harness()
        harness.hook = hook

        async def nothing() -> None:
            return None

        async def rollback() -> None:
            hook.rolled_back()

        harness.begin = nothing
        harness.commit = hook.committed
        harness.rollback = rollback
        harness.settle = nothing
        yield harness


class SqlAfterCommitContract(AfterCommitContract):
    url_fixture: str

    @pytest.fixture
    async def h(self, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
        engine = create_engine(request.getfixturevalue(self.url_fixture))
        session = create_session_factory(engine)()
        harness = Harness()
        harness.hook = SqlAfterCommit(session)

        async def begin() -> None:
            await session.execute(text("SELECT 1"))

        harness.begin = begin
        harness.commit = session.commit
        harness.rollback = session.rollback
        harness.settle = wait_for_after_commit_actions
        try:
            yield harness
        finally:
            await session.close()
            await engine.dispose()


@pytest.mark.integration
class TestSqliteAfterCommit(SqlAfterCommitContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresAfterCommit(SqlAfterCommitContract):
    url_fixture = "postgres_url"
