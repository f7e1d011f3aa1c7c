"""Unit of work: the transaction boundary of a use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Protocol, Self


class UnitOfWork(Protocol):
    """`async with uow:` commits when the block ends normally, rolls back on an exception.

    Repositories resolved in the same request share this transaction. Re-entrant: only the
    outermost block commits or rolls back, so a caller (the outbox dispatcher, a composite
    use case) can wrap a use case in one transaction."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run `action` once the transaction open now has committed; drop it if the
        transaction rolls back. What must only happen after a commit (live pushes, waking
        the outbox dispatcher) goes here. Actions run in the order they were registered,
        also across the transactions of one process, in the background: the request that
        committed does not wait for them. A failing action is logged and the next runs."""
        ...

    def autocommit(self) -> AbstractAsyncContextManager[Self]:
        """`async with uow.autocommit():` a block whose every statement commits on its own
        (no BEGIN/COMMIT round trips), for a hot path made of reads and at most ONE write
        that is atomic by itself. Inside an open transaction (an outer block) it joins that
        transaction; an adapter that cannot autocommit runs it as an ordinary block. The
        after-commit actions run when the block ends normally."""
        ...
