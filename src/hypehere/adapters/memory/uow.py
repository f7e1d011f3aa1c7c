"""In-memory unit of work for use-case tests: counts commits and rollbacks.

In-memory repositories apply changes immediately; tests assert on `commits`/`rollbacks`
to check the use case's transaction boundary."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class InMemoryUnitOfWork:
    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self._depth = 0

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

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        self.rollbacks += 1
