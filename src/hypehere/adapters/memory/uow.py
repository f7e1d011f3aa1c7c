"""In-memory unit of work for use-case tests: counts commits and rollbacks.

In-memory repositories apply changes immediately; tests assert on `commits`/`rollbacks`
(and `autocommits`, the blocks that asked for autocommit) to check the use case's
transaction boundary. After-commit actions keep the SQL unit of work's promises (the same
`AfterCommitActions`): run in the background after the outermost commit, in order, dropped
on rollback; `settle()` waits for them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from hypehere.application.common.after_commit import (
    AfterCommitActions,
    wait_for_after_commit_actions,
)


class InMemoryUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self.autocommits = 0
        self._depth = 0
        self._actions = AfterCommitActions()

    @property
    def in_transaction(self) -> bool:
        """Whether a block is open (tests check that slow work runs outside one)."""
        return self._depth > 0

    async def __aenter__(self) -> Self:
        self._depth += 1
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        if exc_type is None:
            await self.commit()
        else:
            await self.rollback()

    def autocommit(self) -> _AutocommitBlock:
        return _AutocommitBlock(self)

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        self._actions.add(action)

    async def commit(self) -> None:
        self.commits += 1
        self._actions.committed()

    async def rollback(self) -> None:
        self.rollbacks += 1
        self._actions.rolled_back()

    async def settle(self) -> None:
        """Wait until the after-commit actions scheduled so far have run."""
        await wait_for_after_commit_actions()


class _AutocommitBlock:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def __aenter__(self) -> InMemoryUnitOfWork:
        if self._uow._depth == 0:
            self._uow.autocommits += 1
        return await self._uow.__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._uow.__aexit__(exc_type, exc, tb)
