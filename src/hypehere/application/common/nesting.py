"""The nesting and after-commit promises of `UnitOfWork`, kept once for its adapters (SQL and
in-memory): only the outermost `async with` block commits (or rolls back on an exception),
so a caller can wrap a use case in its transaction; after-commit actions wait for that
commit (`AfterCommitActions`). An adapter supplies the transaction itself (`_commit`,
`_rollback`) and may prepare an `autocommit()` block (`_enter_autocommit`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, Self, TypeVar

from hypehere.application.common.after_commit import AfterCommitActions


class NestedUnitOfWork:
    def __init__(self) -> None:
        self._depth = 0
        self._actions = AfterCommitActions()

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

    def autocommit(self) -> AutocommitBlock[Self]:
        return AutocommitBlock(self)

    async def _enter_autocommit(self) -> None:
        """Open an `autocommit()` block: by default an ordinary (possibly nested) block."""
        await self.__aenter__()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        self._actions.add(action)

    async def commit(self) -> None:
        await self._commit()
        self._actions.committed()

    async def rollback(self) -> None:
        self._actions.rolled_back()
        await self._rollback()

    async def _commit(self) -> None:
        raise NotImplementedError

    async def _rollback(self) -> None:
        raise NotImplementedError


U = TypeVar("U", bound=NestedUnitOfWork)


class AutocommitBlock(Generic[U]):
    """`async with uow.autocommit():` the unit of work's own block, opened by its adapter's
    `_enter_autocommit`."""

    def __init__(self, uow: U) -> None:
        self._uow = uow

    async def __aenter__(self) -> U:
        await self._uow._enter_autocommit()
        return self._uow

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._uow.__aexit__(exc_type, exc, tb)
