"""SQL unit of work over one AsyncSession shared by the request's repositories."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.application.common.after_commit import AfterCommitActions


class SqlUnitOfWork:
    """Re-entrant: only the outermost `async with` commits, so a caller (the outbox
    dispatcher, a composite use case) can wrap a use case in one transaction.

    `can_autocommit` (from the provider: PostgreSQL) lets `autocommit()` run its block on a
    connection in AUTOCOMMIT mode; otherwise that block is an ordinary transaction (SQLite:
    its `BEGIN IMMEDIATE` serializes the writers)."""

    def __init__(self, session: AsyncSession, *, can_autocommit: bool = False) -> None:
        self.session = session
        self._can_autocommit = can_autocommit
        self._depth = 0
        self._autocommit_transaction: object | None = None
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
        self._autocommit_transaction = None
        if exc_type is None:
            await self.commit()
        else:
            await self.rollback()

    def autocommit(self) -> _AutocommitBlock:
        return _AutocommitBlock(self)

    async def _enter_autocommit(self) -> None:
        await self.__aenter__()
        session = self.session
        if self._depth == 1 and self._can_autocommit and not session.in_transaction():
            try:
                async with translate_errors():
                    await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            except BaseException:
                self._depth -= 1
                raise
            self._autocommit_transaction = session.get_transaction()

    @property
    def autocommitting(self) -> bool:
        """True while an `autocommit()` block runs on an autocommitted connection."""
        current = self.session.get_transaction()
        return current is not None and current is self._autocommit_transaction

    async def release_connection(self) -> None:
        """In an autocommitted block: hand the connection back to the pool now (what ran
        is committed already) rather than holding it while waiting for something else. A
        later statement of the block runs in an ordinary transaction, committed at its end.
        """
        if self.autocommitting:
            await self.session.commit()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        self._actions.add(action)

    async def commit(self) -> None:
        try:
            async with translate_errors():
                await self.session.commit()
        except BaseException:
            await self.rollback()
            raise
        self._actions.committed()

    async def rollback(self) -> None:
        self._actions.rolled_back()
        try:
            await self.session.rollback()
        except (OperationalError, DBAPIError, OSError):
            # The connection is gone; the transaction is gone with it.
            await self.session.close()


class _AutocommitBlock:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def __aenter__(self) -> SqlUnitOfWork:
        await self._uow._enter_autocommit()
        return self._uow

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._uow.__aexit__(exc_type, exc, tb)
