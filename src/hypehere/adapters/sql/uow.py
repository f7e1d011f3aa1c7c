"""SQL unit of work over one AsyncSession shared by the request's repositories."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.application.common.nesting import NestedUnitOfWork


class SqlUnitOfWork(NestedUnitOfWork):
    """Re-entrant: only the outermost `async with` commits, so a caller (the outbox
    dispatcher, a composite use case) can wrap a use case in one transaction.

    `can_autocommit` (from the provider: PostgreSQL) lets `autocommit()` run its block on a
    connection in AUTOCOMMIT mode; otherwise that block is an ordinary transaction (SQLite:
    its `BEGIN IMMEDIATE` serializes the writers)."""

    def __init__(self, session: AsyncSession, *, can_autocommit: bool = False) -> None:
        super().__init__()
        self.session = session
        self._can_autocommit = can_autocommit
        self._autocommit_transaction: object | None = None

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

    async def _commit(self) -> None:
        self._autocommit_transaction = None
        try:
            async with translate_errors():
                await self.session.commit()
        except BaseException:
            await self.rollback()
            raise

    async def _rollback(self) -> None:
        self._autocommit_transaction = None
        try:
            await self.session.rollback()
        except (OperationalError, DBAPIError, OSError):
            # The connection is gone; the transaction is gone with it.
            await self.session.close()
