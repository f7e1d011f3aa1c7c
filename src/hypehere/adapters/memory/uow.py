"""In-memory unit of work for use-case tests: counts commits and rollbacks.

In-memory repositories apply changes immediately; tests assert on `commits`/`rollbacks`
(and `autocommits`, the blocks that asked for autocommit) to check the use case's
transaction boundary. Nesting and after-commit actions are the SQL unit of work's own
(`NestedUnitOfWork`): actions run in the background after the outermost commit, in order,
dropped on rollback; `settle()` waits for them."""

from __future__ import annotations

from hypehere.application.common.after_commit import wait_for_after_commit_actions
from hypehere.application.common.nesting import NestedUnitOfWork


class InMemoryUnitOfWork(NestedUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.commits = 0
        self.rollbacks = 0
        self.autocommits = 0

    @property
    def in_transaction(self) -> bool:
        """Whether a block is open (tests check that slow work runs outside one)."""
        return self._depth > 0

    async def _enter_autocommit(self) -> None:
        if self._depth == 0:
            self.autocommits += 1
        await self.__aenter__()

    async def _commit(self) -> None:
        self.commits += 1

    async def _rollback(self) -> None:
        self.rollbacks += 1

    async def settle(self) -> None:
        """Wait until the after-commit actions scheduled so far have run."""
        await wait_for_after_commit_actions()
